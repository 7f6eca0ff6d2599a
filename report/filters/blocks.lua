-- Layout of the report's own blocks in Typst: the signature (right-aligned) and notices (boxed).
-- Quarto draws callouts itself; this filter only boxes them when pandoc renders without Quarto.

local function typst(text) return pandoc.RawBlock("typst", text) end

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
