-- Layout of the report's own blocks in Typst: the signature (right-aligned), notices (boxed), image alt text.
-- Quarto draws callouts itself; this filter only boxes them when pandoc renders without Quarto.

local function typst(text) return pandoc.RawBlock("typst", text) end

-- Typst images carry their alt text into the tagged PDF; pandoc's Typst writer drops it, so write it here.
function Image(img)
  local alt = pandoc.utils.stringify(img.caption)  -- pandoc keeps {alt="…"} as the image's description
  if quarto ~= nil or not FORMAT:match("typst") or alt == "" then return nil end  -- Quarto writes fig-alt itself
  local width = img.attributes.width and (", width: " .. img.attributes.width) or ""
  alt = alt:gsub("\\", "\\\\"):gsub('"', '\\"')
  return pandoc.RawInline("typst", string.format('#image("%s"%s, alt: "%s")', img.src, width, alt))
end

function Div(el)
  if not FORMAT:match("typst") then return nil end
  if el.classes:includes("signature") then
    local blocks = { typst("#v(2em)\n#align(right)[") }
    for _, b in ipairs(el.content) do table.insert(blocks, b) end
    table.insert(blocks, typst("]"))
    return blocks
  end
  if quarto == nil and (el.classes:includes("callout-warning") or el.classes:includes("callout-note")) then
    local blocks = { typst("#block(stroke: 0.6pt + rgb(\"#B26B00\"), inset: 8pt, radius: 2pt, width: 100%)[") }
    for _, b in ipairs(el.content) do table.insert(blocks, b) end
    table.insert(blocks, typst("]"))
    return blocks
  end
end
