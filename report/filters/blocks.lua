-- Layout of the report's own blocks in Typst: the signature (right-aligned), notices (boxed), image alt text.
-- The same filter runs under Quarto and under the built-in renderer, so both draw the same blocks.

local function typst(text) return pandoc.RawBlock("typst", text) end

-- Typst images carry their alt text into the tagged PDF; pandoc's Typst writer drops it, so write it here.
function Image(img)
  -- pandoc keeps {alt="…"} as the image's description; Quarto keeps fig-alt as an attribute
  local alt = img.attributes["fig-alt"] or pandoc.utils.stringify(img.caption)
  if FORMAT:match("docx") and img.attributes["fig-alt"] then  -- Word reads the alt text from the description
    img.caption = pandoc.Inlines(img.attributes["fig-alt"])
    return img
  end
  if not FORMAT:match("typst") or alt == "" then return nil end
  local width = img.attributes.width and (", width: " .. img.attributes.width) or ""
  alt = alt:gsub("\\", "\\\\"):gsub('"', '\\"')
  return pandoc.RawInline("typst", string.format('#image("%s"%s, alt: "%s")', img.src, width, alt))
end

-- Quarto marks embedded cells with the path of the notebook they came from (a staging folder of the
-- build machine): not for the published report.
local function drop_notebook_attributes(el)
  local changed = false
  for _, key in ipairs({ "notebook", "notebook-title", "notebook-cellid" }) do
    if el.attributes[key] ~= nil then el.attributes[key] = nil; changed = true end
  end
  return changed
end

function Div(el)
  local changed = drop_notebook_attributes(el)
  if not FORMAT:match("typst") then return changed and el or nil end
  if el.classes:includes("signature") then
    local blocks = { typst("#v(2em)\n#align(right)[") }
    for _, b in ipairs(el.content) do table.insert(blocks, b) end
    table.insert(blocks, typst("]"))
    return blocks
  end
  if el.classes:includes("notice") then
    local blocks = { typst("#block(stroke: 0.6pt + rgb(\"#B26B00\"), inset: 8pt, radius: 2pt, width: 100%)[") }
    for _, b in ipairs(el.content) do table.insert(blocks, b) end
    table.insert(blocks, typst("]"))
    return blocks
  end
end

-- The PDF's first page is the report's own, whichever engine renders it: the title centred in the sans
-- face (Quarto's Typst template would set it in Libertinus and fall back to a Japanese face for Chinese),
-- then the table of contents. `format.typst.toc` is false so neither template writes its own.
function Pandoc(doc)
  if not FORMAT:match("typst") or doc.meta.title == nil then return nil end
  local title = pandoc.write(pandoc.Pandoc({ pandoc.Plain(doc.meta.title) }), "typst"):gsub("%s+$", "")
  local toc_title = doc.meta["toc-title"] and pandoc.utils.stringify(doc.meta["toc-title"]) or "目录"
  local depth = doc.meta["toc-depth"] and tonumber(pandoc.utils.stringify(doc.meta["toc-depth"])) or 2
  local numbering = doc.meta["page-numbering"] and pandoc.utils.stringify(doc.meta["page-numbering"]) or "— 1 —"
  local head = {
    typst(string.format("#align(center)[#block(inset: (top: 0.5em, bottom: 1.5em))[#set par(first-line-indent: 0pt, justify: false)\n#text(font: sans-font, size: 20pt, weight: \"bold\")[%s]]]", title)),
  }
  table.insert(head, typst(string.format("#outline(title: [%s], depth: %d, indent: 1.5em)", toc_title, depth + 1)))
  if quarto ~= nil then
    -- Quarto's template gets the pattern through pandoc, which writes — as ---: set it again first thing
    table.insert(head, 1, typst(string.format("#set page(numbering: \"%s\")", (numbering:gsub('"', '')))))
  end
  doc.meta.title = nil
  for i, block in ipairs(head) do table.insert(doc.blocks, i, block) end
  return doc
end
