-- Layout of the report's own blocks in Typst: the official layout, title, signature, notices (boxed), the
-- colophon (small), image alt text; the Word copy's signature style.
-- The same filter runs under Quarto and under the built-in renderer, so both draw the same blocks.

local function typst(text) return pandoc.RawBlock("typst", text) end

local function inline_typst(inlines)
  return (pandoc.write(pandoc.Pandoc({ pandoc.Plain(inlines) }), "typst"):gsub("%s+$", ""))
end

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
  if FORMAT:match("docx") and el.classes:includes("signature") then  -- the template's right-aligned style
    el.attributes["custom-style"] = "Signature"
    return el
  end
  if not FORMAT:match("typst") then return changed and el or nil end
  if el.classes:includes("signature") then  -- office over date, as report/typst/header.typ places them
    local lines, current = {}, pandoc.Inlines({})
    for _, block in ipairs(el.content) do
      for _, inline in ipairs(block.content or {}) do
        if inline.t == "LineBreak" then table.insert(lines, current); current = pandoc.Inlines({})
        else current:insert(inline) end
      end
    end
    table.insert(lines, current)
    local args = {}
    for _, line in ipairs(lines) do table.insert(args, "[" .. inline_typst(line) .. "]") end
    if #args == 1 then table.insert(args, "[]") end
    return typst(string.format("#signature(%s)", table.concat(args, ", ")))
  end
  for _, class in ipairs({ "notice", "colophon" }) do  -- boxed or small: functions of header.typ
    if el.classes:includes(class) then
      local blocks = { typst("#" .. (class == "notice" and "notice" or "small") .. "[") }
      for _, b in ipairs(el.content) do table.insert(blocks, b) end
      table.insert(blocks, typst("]"))
      return blocks
    end
  end
end

-- The PDF's first page is the report's own, whichever engine renders it: the official layout applied
-- inside the engine's template (report/typst/header.typ), the title in 小标宋, then the table of contents.
-- `format.typst.toc` is false so neither template writes its own.
function Pandoc(doc)
  if not FORMAT:match("typst") or doc.meta.title == nil then return nil end
  local toc_title = doc.meta["toc-title"] and pandoc.utils.stringify(doc.meta["toc-title"]) or "目录"
  local depth = doc.meta["toc-depth"] and tonumber(pandoc.utils.stringify(doc.meta["toc-depth"])) or 2
  local head = {
    typst("#show: official"),
    typst(string.format("#official-title[%s]", inline_typst(doc.meta.title))),
    typst(string.format("#contents([%s], %d)", toc_title, depth)),
  }
  doc.meta.title = nil
  for i, block in ipairs(head) do table.insert(doc.blocks, i, block) end
  return doc
end
