# Pakt: the two commands are "make run" and "make test" (see README.md).
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X pakt/app.Version=$(VERSION)

.PHONY: run build test vet lint audit fmt bench clean

## run: private PostgreSQL under .data/ (unless DATABASE_URL is set), migrate, demo data, serve on :8080
run: build
	./pakt dev

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o pakt .

## test: the whole suite against a real PostgreSQL the harness starts itself (unless TEST_DATABASE_URL is set)
## Tests run in parallel (each test on its own database clone); -parallel is
## above the core count because most of a test's time is spent waiting on
## PostgreSQL or a browser.
test: vet
	$(GO) test -count=1 -parallel 8 -timeout 30m ./...

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

## lint: staticcheck, pinned as a tool in go.mod (go tool staticcheck)
lint: vet
	$(GO) tool staticcheck ./...
	$(GO) vet -tags bench ./app/bench
	$(GO) vet -tags audit ./handlers/

## audit: the outside audit, offline (needs `npm ci`, Java and qpdf; .ci/run
## installs them). The main pages, each signed in as its user, go through
## axe-core with every rule tag in Chromium with no console error
## (TestAuditMainPages); the same pages' HTML as the server sends it through
## the Nu HTML checker (vnu-jar, pinned in package.json), app.css too; one
## PDF of every kind through qpdf --check; the OpenAPI document through
## redocly lint (@redocly/cli, pinned in package.json); Lighthouse's
## best-practices category (pinned in package.json, tag audit) at 100 on
## every main page. Any finding fails the target.
AUDIT_DIR ?= $(CURDIR)/tmp/audit
VNU       := node_modules/vnu-jar/build/dist/vnu.jar
REDOCLY   := node_modules/.bin/redocly
audit:
	@test -f $(VNU) || { echo "audit: $(VNU) is missing: run npm ci"; exit 1; }
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true $(REDOCLY) lint --max-problems 50 web/openapi/openapi.yaml
	rm -rf $(AUDIT_DIR) && mkdir -p $(AUDIT_DIR)
	PAKT_AUDIT_DIR=$(AUDIT_DIR) $(GO) test -count=1 -parallel 4 -run '^(TestAuditMainPages|TestAuditWritesPagesAndPDFs)$$' ./handlers/
	java -jar $(VNU) --errors-only $(AUDIT_DIR)/*.html
	java -jar $(VNU) --errors-only --css views/static/app.css
	@for f in $(AUDIT_DIR)/*.pdf; do \
		qpdf --check "$$f" >/dev/null || { echo "qpdf --check $$f:"; qpdf --check "$$f"; exit 1; }; \
	done
	CHROME_PATH=/usr/bin/chromium $(GO) test -tags audit -count=1 -parallel 2 -timeout 30m -run '^TestLighthouseBestPractices$$' ./handlers/
	@echo "audit: $$(ls $(AUDIT_DIR)/*.html | wc -l) pages and $$(ls $(AUDIT_DIR)/*.pdf | wc -l) PDFs clean, Lighthouse best practices 100"

fmt:
	gofmt -w $$(git ls-files '*.go')

## bench: micro-benchmarks, then the national-scale load of the real server
## (writes docs/benchmarks.md; PAKT_BENCH_SCALE=0.1 for a quick run,
## PAKT_BENCH_MIXED_ONLY=1 for only the mixed workload, printed). The load
## code is behind the "bench" build tag so make test stays fast.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) test -tags bench ./app/bench -run '^$$' -bench . -benchtime 1x -timeout 60m

clean:
	rm -f pakt
