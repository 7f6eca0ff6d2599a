-- Layout of the report's own blocks in Typst: the official layout, title, signature, notices (boxed), the
-- colophon (small), image alt text; the Word copy's signature style.
-- The same filter runs under Quarto and under the built-in renderer, so both draw the same blocks.

local function typst(text) return pandoc.RawBlock("typst", text) end

local function inline_typst(inlines)
  return (pandoc.write(pandoc.Pandoc({ pandoc.Plain(inlines) }), "typst"):gsub("%s+$", ""))
end

-- An image's height over its width, and its natural width in points where the file says its resolution
-- (a PNG's pHYs), from the file's own header (PNG, or a JPEG's frame); nil where unknown.
local function image_size(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local head = f:read(24) or ""
  if head:sub(1, 8) == "\137PNG\r\n\26\n" and #head == 24 then
    local w, h = string.unpack(">I4I4", head, 17)
    local natural = nil
    f:seek("set", 8)
    for _ = 1, 64 do  -- the chunks before the image data
      local chunk = f:read(8)
      if not chunk or #chunk < 8 then break end
      local len, kind = string.unpack(">I4", chunk), chunk:sub(5, 8)
      if kind == "IDAT" then break end
      if kind == "pHYs" and len == 9 then
        local data = f:read(9) or ""
        local ppu, unit = string.unpack(">I4", data), data:byte(9)
        if unit == 1 and ppu > 0 then natural = w / (ppu * 0.0254) * 72 end
        break
      end
      f:seek("cur", len + 4)
    end
    f:close()
    return w > 0 and h / w or nil, natural
  end
  if head:find("<", 1, true) then  -- an SVG (helpers.model.charts.to_svg): its width and height in pt
    local text = head .. (f:read(2000) or "")
    f:close()
    local w = tonumber(text:match('<svg[^>]-%swidth="([%d.]+)pt"'))
    local h = tonumber(text:match('<svg[^>]-%sheight="([%d.]+)pt"'))
    if w and h and w > 0 then return h / w, w end
    return nil
  end
  if head:sub(1, 2) ~= "\255\216" then f:close(); return nil end
  f:seek("set", 2)
  for _ = 1, 1000 do
    local marker = f:read(4)
    if not marker or #marker < 4 or marker:byte(1) ~= 0xFF then break end
    local m, len = marker:byte(2), string.unpack(">I2", marker, 3)
    if m >= 0xC0 and m <= 0xCF and m ~= 0xC4 and m ~= 0xC8 and m ~= 0xCC then
      local frame = f:read(5) or ""
      f:close()
      if #frame < 5 then return nil end
      local h, w = string.unpack(">I2I2", frame, 2)
      return w > 0 and h / w or nil
    end
    f:seek("cur", len - 2)
  end
  f:close()
  return nil
end

-- Typst images carry their alt text into the tagged PDF; pandoc's Typst writer drops it, so write it here.
function Image(img)
  -- pandoc keeps {alt="…"} as the image's description; Quarto keeps fig-alt as an attribute
  local alt = img.attributes["fig-alt"] or pandoc.utils.stringify(img.caption)
  if FORMAT:match("docx") and img.src:match("%.svg$") then  -- the Word copy takes the chart's PNG beside it
    local png = img.src:gsub("%.svg$", ".png")
    local f = io.open(png, "rb")
    if f then f:close(); img.src = png end
  end
  if FORMAT:match("docx") and img.attributes["fig-alt"] then  -- Word reads the alt text from the description
    img.caption = pandoc.Inlines(img.attributes["fig-alt"])
    return img
  end
  if FORMAT:match("docx") then return img end
  if not FORMAT:match("typst") or alt == "" then return nil end
  local aspect, natural = image_size(img.src)
  local width = natural and string.format(", width: %.1fpt", natural) or ""
  if img.attributes.width and img.attributes.width:match("^%d+%.?%d*%%$") then width = ", width: " .. img.attributes.width end
  alt = alt:gsub("\\", "\\\\"):gsub('"', '\\"')
  -- header.typ's chart: its natural size, or as tall as a page holds with its caption
  return pandoc.RawInline("typst", string.format('#chart("%s", %s%s, alt: "%s")', img.src,
                                                 aspect and string.format("%.4f", aspect) or "none", width, alt))
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

-- Accessible tables in HTML (GB/T 37668, WCAG 2.1): every header cell says what it heads (scope), and a
-- table's caption is its own <caption>, also where Quarto sets it in a <figure> around the table.
-- A cell's text wrapped over lines in the source (helpers.document.gridtable) is one run of Chinese: the
-- line breaks between Chinese characters are no spaces.
local function wide(text, at_end)
  local ch = at_end and text:match("[\xE2-\xEF][\x80-\xBF][\x80-\xBF]$") or text:match("^[\xE2-\xEF][\x80-\xBF][\x80-\xBF]")
  return ch ~= nil and ch >= "\xE2\xBA\x80"
end

local function join_wide_lines(inlines)
  local joined = pandoc.Inlines({})
  for i, el in ipairs(inlines) do
    local before, after = inlines[i - 1], inlines[i + 1]
    local between = el.t == "SoftBreak" and before and after and before.t == "Str" and after.t == "Str"
    if not (between and (wide(before.text, true) or wide(after.text, false))) then joined:insert(el) end
  end
  return joined
end

-- A table with merged cells is one of the national format's (helpers.document.gridtable): it takes the
-- type area's whole width, its columns in the proportions the source gives.
local function has_spans(tbl)
  local rows = {}
  for _, row in ipairs(tbl.head.rows) do table.insert(rows, row) end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do table.insert(rows, row) end
  end
  for _, row in ipairs(rows) do
    for _, cell in ipairs(row.cells) do
      if cell.row_span > 1 or cell.col_span > 1 then return true end
    end
  end
  return false
end

local function full_width(tbl)
  local total = 0
  for _, spec in ipairs(tbl.colspecs) do
    if type(spec[2]) ~= "number" then return end
    total = total + spec[2]
  end
  if total <= 0 then return end
  for i, spec in ipairs(tbl.colspecs) do tbl.colspecs[i] = { spec[1], spec[2] / total } end
end

function Table(tbl)
  tbl = tbl:walk({ Inlines = join_wide_lines })
  if has_spans(tbl) then full_width(tbl) end
  if not FORMAT:match("html") then return tbl end
  tbl.attributes.tabindex = "0"  -- a table wider than a phone scrolls in its box: keyboard users can scroll it too
  for _, row in ipairs(tbl.head.rows) do
    for _, cell in ipairs(row.cells) do cell.attributes.scope = "col" end
  end
  return tbl
end

-- pandoc sets a captioned table as <table><caption>; Quarto as a <figure> of raw HTML around it, with a
-- <figcaption>: take that caption into the table, so both engines write the same accessible table.
local function float_table(el)
  local caption, found, in_caption = nil, nil, false
  local function visit(blocks)
    for _, b in ipairs(blocks) do
      if b.t == "RawBlock" and b.text:match("^<figcaption") then in_caption = true
      elseif b.t == "RawBlock" and b.text:match("^</figcaption") then in_caption = false
      elseif in_caption and b.t == "Plain" and caption == nil then caption = b.content
      elseif b.t == "Table" then found = (found == nil) and b or false
      elseif b.content and type(b.content) ~= "string" and b.t ~= "Plain" and b.t ~= "Para" then visit(b.content) end
    end
  end
  visit(el.content)
  if not found or not caption then return nil end
  found.caption.long = { pandoc.Plain(caption) }
  return pandoc.Div({ found }, pandoc.Attr(el.identifier, { "table-float" }))
end

function Div(el)
  if el.classes:includes("screen-only") then  -- helpers.document.document.screen_only: the HTML's, not print's
    if FORMAT:match("html") then return el.content end
    return {}
  end
  if FORMAT:match("html") and el.classes:includes("quarto-float") then
    local captioned = float_table(el)
    if captioned then return captioned end
  end
  local changed = drop_notebook_attributes(el)
  if FORMAT:match("docx") and el.classes:includes("signature") then  -- the template's right-aligned style
    el.attributes["custom-style"] = "Signature"
    return el
  end
  if FORMAT:match("docx") and el.classes:includes("attachments") then  -- flush left, kept with the signature
    el.attributes["custom-style"] = "Attachments"
    return el
  end
  if FORMAT:match("docx") and el.classes:includes("notice") then  -- a notice about the report, in its own style
    el.attributes["custom-style"] = "Notice"
    return el
  end
  if not FORMAT:match("typst") then return changed and el or nil end
  if el.classes:includes("signature") or el.classes:includes("attachments") then  -- as header.typ sets them
    local lines, current = {}, pandoc.Inlines({})
    for _, block in ipairs(el.content) do
      for _, inline in ipairs(block.content or {}) do
        if inline.t == "LineBreak" then table.insert(lines, current); current = pandoc.Inlines({})
        else current:insert(inline) end
      end
    end
    table.insert(lines, current)
    local args = {}
    for k, line in ipairs(lines) do
      if k == 1 and el.classes:includes("attachments") and line[1] and line[1].t == "Str" then
        line[1] = pandoc.Str((line[1].text:gsub("^附件：", "")))  -- header.typ writes 附件： before the list
      end
      table.insert(args, "[" .. inline_typst(line) .. "]")
    end
    local name = el.classes:includes("signature") and "signature" or "attachments"
    return typst(string.format("#%s(%s)", name, table.concat(args, ", ")))
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

-- An appendix (a heading with class `appendix` and its `label`, 附件1) starts a new page: in Typst with its
-- label flush left over its centred title (header.typ), in Word after a page break.
function Header(el)
  if not el.classes:includes("appendix") or not el.attributes.label then return nil end
  local label = el.attributes.label
  if FORMAT:match("typst") then
    local title = pandoc.Inlines({})
    local prefix = true
    for _, inline in ipairs(el.content) do  -- the heading reads 附件1　标题: the title is what follows the label
      if prefix and (inline.t == "Str" and (inline.text == label or inline.text:sub(1, #label) == label)) then
        local rest = inline.text:sub(#label + 1):gsub("^　", "")
        if rest ~= "" then title:insert(pandoc.Str(rest)) end
        prefix = false
      elseif not (prefix and inline.t == "Space") then title:insert(inline); prefix = false end
    end
    return typst(string.format("#appendix-heading([%s], [%s])", label, inline_typst(title)))
  end
  if FORMAT:match("docx") then
    return { pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'), el }
  end
end

-- The signature and the last lines it signs (the paragraph before it, and the 附件 list where there is
-- one) go into header.typ's `signed` block, so the signature never opens a page alone.
local function keep_signature_with_text(blocks)
  for i, block in ipairs(blocks) do
    if block.t == "RawBlock" and block.text:match("^#signature%(") then
      local first = i
      while first > 1 and (blocks[first - 1].t == "Para" or blocks[first - 1].t == "Plain"
                           or (blocks[first - 1].t == "RawBlock" and blocks[first - 1].text:match("^#attachments%(")))
            and i - first < 2 do
        first = first - 1
      end
      if first < i then
        local grouped = { typst("#signed[") }
        for k = first, i do table.insert(grouped, blocks[k]) end
        table.insert(grouped, typst("]"))
        local out = {}
        for k = 1, first - 1 do table.insert(out, blocks[k]) end
        for _, b in ipairs(grouped) do table.insert(out, b) end
        for k = i + 1, #blocks do table.insert(out, blocks[k]) end
        return out
      end
    end
  end
  return blocks
end

-- Where the PDF came from (office, year, data fingerprint, code version) as its document keywords, as the
-- Word copy carries them in its custom properties: no page shows them.
local function provenance_keywords(meta)
  local words = {}
  for _, key in ipairs({ "report-office", "report-year", "report-record", "report-code" }) do
    if meta[key] then
      local value = pandoc.utils.stringify(meta[key]):gsub("[^%w%._:-]", "")
      table.insert(words, string.format('"%s: %s"', key, value))
    end
  end
  return table.concat(words, ", ") .. (#words == 1 and "," or "")
end

-- The PDF's first page is the report's own, whichever engine renders it: the official layout applied
-- inside the engine's template (report/typst/header.typ), the title in 小标宋, then the table of contents.
-- `format.typst.toc` is false so neither template writes its own.
function Pandoc(doc)
  if FORMAT:match("docx") then
    -- the title in the lines helpers.document.titles breaks it into, never mid-word (…法治政 / 府…)
    local lines = doc.meta["title-lines"]
    if lines and #lines > 1 then
      local title = pandoc.Inlines({})
      for k, line in ipairs(lines) do
        if k > 1 then title:insert(pandoc.LineBreak()) end
        title:extend(pandoc.Inlines(line))
      end
      doc.meta.title = pandoc.MetaInlines(title)
    end
    -- the paragraph the signature signs keeps with it (the template's Signed Text)
    for i, block in ipairs(doc.blocks) do
      if block.t == "Div" and block.classes:includes("signature") then
        local k = i - 1
        if k > 0 and doc.blocks[k].t == "Div" and doc.blocks[k].classes:includes("attachments") then k = k - 1 end
        if k > 0 and doc.blocks[k].t == "Para" then
          doc.blocks[k] = pandoc.Div({ doc.blocks[k] }, pandoc.Attr("", {}, { ["custom-style"] = "Signed Text" }))
        end
        return doc
      end
    end
    return doc
  end
  if FORMAT:match("html") then  -- the report is the page's main landmark (the title block and contents stand beside it)
    table.insert(doc.blocks, 1, pandoc.RawBlock("html", '<main id="report-main">'))
    table.insert(doc.blocks, pandoc.RawBlock("html", "</main>"))
    return doc
  end
  if not FORMAT:match("typst") or doc.meta.title == nil then return nil end
  local title = pandoc.utils.stringify(doc.meta.title)
  local lines = {}
  for _, line in ipairs(doc.meta["title-lines"] or {}) do table.insert(lines, "[" .. inline_typst(line) .. "]") end
  if #lines == 0 then lines = { "[" .. inline_typst(doc.meta.title) .. "]" } end
  local head = {
    typst(string.format('#set document(title: "%s", keywords: (%s))', (title:gsub("\\", "\\\\"):gsub('"', '\\"')), provenance_keywords(doc.meta))),
    typst("#show: official"),
    typst(string.format("#official-title(%s)", table.concat(lines, ", "))),
  }
  -- the printed copy has no contents unless asked (`print-toc: true`): its text starts under the title
  if doc.meta["print-toc"] == true then
    local toc_title = doc.meta["toc-title"] and pandoc.utils.stringify(doc.meta["toc-title"]) or "目录"
    local depth = doc.meta["toc-depth"] and tonumber(pandoc.utils.stringify(doc.meta["toc-depth"])) or 2
    table.insert(head, typst(string.format("#contents([%s], %d)", toc_title, depth)))
  end
  doc.meta.title = nil
  doc.blocks = keep_signature_with_text(doc.blocks)
  for i, block in ipairs(head) do table.insert(doc.blocks, i, block) end
  return doc
end
