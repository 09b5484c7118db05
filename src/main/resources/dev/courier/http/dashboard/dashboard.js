// The Courier dashboard: polls the JSON API (docs/HTTP.md) every two seconds and redraws. Topics
// are searched, sorted and paged by the broker, so a thousand of them cost one page of rows here.
"use strict";

const POLL_MS = 2000;
const PAGE_SIZE = 50;
const state = { q: "", sort: "name", order: "asc", offset: 0, total: 0, selected: null };
const $ = (id) => document.getElementById(id);
const number = (n) => (typeof n === "number" ? n.toLocaleString("en") : "–");
const rate = (n) => (typeof n === "number" ? n.toFixed(n < 10 ? 2 : 0) : "–");

async function api(method, path) {
  const response = await fetch(path, { method, headers: { Accept: "application/json" } });
  const text = await response.text();
  const body = text ? JSON.parse(text) : {};
  if (!response.ok) {
    throw new Error(body.error ? body.error.code + ": " + body.error.message : "HTTP " + response.status);
  }
  return body;
}

function cell(row, text, numeric) {
  const td = row.insertCell();
  td.textContent = text;
  if (numeric) td.className = "num";
  return td;
}

function button(parent, label, onClick, danger) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.dataset.action = label;
  if (danger) b.className = "danger";
  b.addEventListener("click", (e) => { e.stopPropagation(); onClick(); });
  parent.appendChild(b);
  return b;
}

let chart;
function drawChart(overview) {
  const h = overview.history;
  const data = [h.map((p) => p[0] / 1000), h.map((p) => p[1]), h.map((p) => p[2]), h.map((p) => p[3])];
  if (!chart) {
    chart = new uPlot({
      width: Math.max(400, $("chart").clientWidth || 800), height: 220,
      series: [{}, { label: "published/s", stroke: "#2563eb" }, { label: "delivered/s", stroke: "#16a34a" },
        { label: "acked/s", stroke: "#d97706" }],
      axes: [{}, { label: "msg/s" }],
    }, data, $("chart"));
  } else {
    chart.setData(data);
  }
}

function drawOverview(o) {
  for (const key of ["published", "delivered", "acked", "ready", "unacked", "consumers", "connections", "topics"]) {
    $("total-" + key).textContent = number(o[key]);
  }
  drawChart(o);
}

function drawTopics(page) {
  state.total = page.total;
  const body = $("topics").tBodies[0];
  body.replaceChildren();
  for (const t of page.topics) {
    const row = body.insertRow();
    row.dataset.topic = t.name;
    if (t.name === state.selected) row.className = "selected";
    cell(row, t.name);
    cell(row, number(t.published), true).dataset.field = "published";
    cell(row, rate(t.publish_rate), true);
    cell(row, number(t.retained_messages), true);
    cell(row, number(t.ready), true).dataset.field = "ready";
    cell(row, number(t.unacked), true);
    cell(row, number(t.consumers), true);
    cell(row, number(t.group_count), true);
    row.addEventListener("click", () => { state.selected = t.name; refresh(); });
  }
  const last = Math.min(state.offset + PAGE_SIZE, page.total);
  $("page-info").textContent = page.total === 0 ? "no topics"
    : (state.offset + 1) + "–" + last + " of " + number(page.total);
  $("prev").disabled = state.offset === 0;
  $("next").disabled = last >= page.total;
  for (const th of $("topics").tHead.rows[0].cells) {
    th.classList.toggle("sorted-asc", th.dataset.sort === state.sort && state.order === "asc");
    th.classList.toggle("sorted-desc", th.dataset.sort === state.sort && state.order === "desc");
  }
}

function drawDetail(topic) {
  $("topic-detail").hidden = false;
  $("detail-name").textContent = topic.name;
  const body = $("groups").tBodies[0];
  body.replaceChildren();
  for (const g of topic.groups) {
    const row = body.insertRow();
    row.dataset.group = g.name;
    cell(row, g.name);
    cell(row, number(g.ready), true).dataset.field = "ready";
    cell(row, number(g.unacked), true);
    cell(row, number(g.consumers), true);
    cell(row, number(g.delivered), true);
    cell(row, number(g.acked), true);
    cell(row, number(g.redelivered), true);
    cell(row, rate(g.deliver_rate), true);
    cell(row, rate(g.ack_rate), true);
    cell(row, g.paused ? "paused" : "active").dataset.field = "state";
    const actions = row.insertCell();
    const base = "/api/v1/topics/" + encodeURIComponent(topic.name) + "/groups/" + encodeURIComponent(g.name);
    button(actions, "purge", () => confirmThen("Purge the " + number(g.ready) + " ready messages of group "
      + g.name + "?", "POST", base + "/purge"), true);
    button(actions, g.paused ? "resume" : "pause", () => confirmThen((g.paused ? "Resume" : "Pause")
      + " deliveries of group " + g.name + "?", "POST", base + (g.paused ? "/resume" : "/pause")));
  }
}

/** Payloads are shown cut: a page of megabyte messages must stay a page. */
const PEEK_CHARS = 120;
function drawPeek(topic, page) {
  $("peek-name").textContent = topic;
  const body = $("peek").tBodies[0];
  body.replaceChildren();
  for (const m of page.messages.slice().reverse()) {
    const row = body.insertRow();
    cell(row, String(m.id), true);
    cell(row, new Date(m.timestamp_ms).toLocaleTimeString());
    cell(row, m.key == null ? "" : m.key);
    const text = m.encoding === "base64" ? "(binary, base64) " + m.payload : m.payload;
    cell(row, text.length > PEEK_CHARS ? text.slice(0, PEEK_CHARS) + "…" : text);
  }
}

function drawConnections(list) {
  const body = $("connections").tBodies[0];
  body.replaceChildren();
  for (const c of list.connections) {
    const row = body.insertRow();
    for (const v of [c.id, c.role, c.topic, c.group, c.remote_address, c.user]) cell(row, v == null ? "" : String(v));
    cell(row, number(c.credit), true);
    cell(row, number(c.in_flight), true);
  }
}

/** Every change asks first, in a dialog of the page (not window.confirm, which blocks polling). */
function confirmThen(question, method, path) {
  const dialog = $("confirm");
  $("confirm-text").textContent = question;
  dialog.onclose = async () => {
    if (dialog.returnValue !== "ok") return;
    try {
      await api(method, path);
      $("message").textContent = "";
    } catch (e) {
      $("message").textContent = e.message;
    }
    refresh();
  };
  dialog.returnValue = "";
  dialog.showModal();
}

let refreshing = false;
let again = false;
async function refresh() {
  if (refreshing) {
    again = true; // a search or a click during a poll is drawn right after it
    return;
  }
  refreshing = true;
  try {
    const query = new URLSearchParams({ q: state.q, sort: state.sort, order: state.order,
      offset: String(state.offset), limit: String(PAGE_SIZE) });
    const [overview, topics, connections] = await Promise.all([api("GET", "/api/v1/overview"),
      api("GET", "/api/v1/topics?" + query), api("GET", "/api/v1/connections")]);
    drawOverview(overview);
    drawTopics(topics);
    drawConnections(connections);
    if (state.selected) {
      try {
        const path = "/api/v1/topics/" + encodeURIComponent(state.selected);
        drawDetail(await api("GET", path));
        drawPeek(state.selected, await api("GET", path + "/messages?limit=10").catch(() => ({ messages: [] })));
      } catch (e) {
        state.selected = null;
        $("topic-detail").hidden = true;
      }
    }
    $("status").textContent = "updated " + new Date().toLocaleTimeString();
    $("status").className = "status";
  } catch (e) {
    $("status").textContent = "cannot reach the broker: " + e.message;
    $("status").className = "status error";
  } finally {
    refreshing = false;
    if (again) {
      again = false;
      refresh();
    }
  }
}

$("search").addEventListener("input", (e) => { state.q = e.target.value; state.offset = 0; refresh(); });
$("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE_SIZE); refresh(); });
$("next").addEventListener("click", () => { state.offset += PAGE_SIZE; refresh(); });
for (const th of $("topics").tHead.rows[0].cells) {
  if (!th.dataset.sort) continue;
  th.addEventListener("click", () => {
    state.order = state.sort === th.dataset.sort && state.order === "asc" ? "desc" : "asc";
    state.sort = th.dataset.sort;
    state.offset = 0;
    refresh();
  });
}
refresh();
setInterval(refresh, POLL_MS);
