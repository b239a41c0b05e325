// Package handlers groups Pakt's feature handlers, one package per part of
// the pact cycle: accounts (sign-in, municipalities, organisations,
// people), agreements, sitan (situation analysis and focus groups), plans,
// tracking (reporting periods, progress, reports) and dashboards. Each
// feature's Handler embeds the web kernel (pakt/web), which knows no
// feature. The tests in this directory drive every feature through HTTP
// and a headless browser against the real server and database.
package handlers
