# make report : set up everything on a fresh machine, then build the shipped office's latest year
# make test   : set up the same way, then run every test (unit, notebooks via nbval, end to end)
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OFFICE ?= taoyuan
YEAR ?= $(shell ls -d data/$(OFFICE)/[0-9][0-9][0-9][0-9] 2>/dev/null | sort | tail -n 1 | xargs -r basename)
FORMATS ?= html,pdf,docx

.PHONY: setup system report demo validate test lab bench clean

setup: system $(VENV)/.installed
	@$(BIN)/python -m helpers.fonts --aliases >/dev/null  # LibreOffice draws the Word copy's 仿宋_GB2312 … with the open faces
	@$(BIN)/python -m compileall -q src/helpers >/dev/null  # the package's bytecode, as pip writes an installed package's: no command compiles it (PYTHONDONTWRITEBYTECODE)

system:
	@echo "==> 系统软件包（中文字体$(if $(filter test,$(MAKECMDGOALS)),、PDF 工具、Chromium,)）"
	@bash tools/system-packages.sh $(if $(filter test,$(MAKECMDGOALS)),--for-tests,)

$(VENV)/.installed: pyproject.toml
	@echo "==> Python 环境 $(VENV)（首次约需几分钟）"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (annual-report)" >/dev/null
	touch $@

report: setup
	@echo "==> 生成报告 $(OFFICE)/$(YEAR)（$(FORMATS)）"
	$(BIN)/annual-report build --office $(OFFICE) --year $(YEAR) --formats $(FORMATS)

# 示例街道 (data/demo): an office that does not exist, with three illustrative years to show the comparisons
DEMO_YEARS = $(shell ls -d data/demo/[0-9][0-9][0-9][0-9] 2>/dev/null | xargs -r -n1 basename)
demo: setup
	@echo "==> 生成示例单位的报告（示例数据，非真实）：$(DEMO_YEARS)"
	@for year in $(DEMO_YEARS); do $(BIN)/annual-report build --office demo --year $$year --formats $(FORMATS) || exit 1; done

validate: setup
	$(BIN)/annual-report validate

AXE := tests/e2e/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/axe/package-lock.json
	@echo "==> axe-core（无障碍检查规则，npm）"
	npm ci --prefix tests/e2e/axe --no-audit --no-fund --silent

# Test modules run side by side, one worker a core (2 by default: a worker's builds use both cores' worth of
# processes at times, so more workers than cores only wait); a module's tests stay on one worker with its builds.
TEST_WORKERS ?= 2
test: setup $(AXE)
	@echo "==> 运行全部测试（$(TEST_WORKERS) 个进程）"
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: setup
	$(BIN)/python bench/run.py

# make lab LAB_ARGS="--no-browser --port 8899 --ip 127.0.0.1"; as root, --allow-root is added
LAB_ARGS ?=
lab: setup
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root,) $(LAB_ARGS) notebooks/

clean:
	rm -rf _build _output
