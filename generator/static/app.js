"use strict";
// The questionnaire page: the form comes from /api/questions; every change asks
// /api/evaluate (GET, no side effects) for the completed answers, the
// recommendation, the share link and the equivalent commands.

const touched = {};
let questions = [];
let latest = null;
let sequence = 0;
let timer = null;

const byId = (id) => document.getElementById(id);

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function queryOf(answers) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(answers)) {
    params.set(name, Array.isArray(value) ? value.join(",") : value);
  }
  return params.toString();
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

function buildField(question) {
  const grouped = question.multiselect;
  const box = element(grouped ? "fieldset" : "div", { class: "question", id: `question-${question.name}` });
  const title = grouped
    ? element("legend", { class: "title" }, question.name)
    : element("label", { class: "title", for: `field-${question.name}` }, question.name);
  const help = element("span", { class: "help", id: `help-${question.name}` });
  box.append(title, help);
  if (question.multiselect) {
    for (const choice of question.choices) {
      const label = element("label", { class: "choice" });
      const input = element("input", { type: "checkbox", name: question.name, value: choice.value });
      label.append(input, ` ${choice.label}`);
      box.append(label);
    }
  } else if (question.text) {
    box.append(element("input", { type: "text", id: `field-${question.name}`, name: question.name }));
  } else {
    const select = element("select", { id: `field-${question.name}`, name: question.name });
    for (const choice of question.choices) {
      select.append(element("option", { value: choice.value }, choice.label));
    }
    box.append(select);
  }
  box.addEventListener("input", () => {
    touched[question.name] = readField(question);
    scheduleEvaluate();
  });
  return box;
}

function inputsOf(question) {
  return document.querySelectorAll(`[name="${question.name}"]`);
}

function readField(question) {
  const inputs = [...inputsOf(question)];
  if (question.multiselect) return inputs.filter((input) => input.checked).map((input) => input.value);
  return inputs[0].value;
}

function writeField(question, value) {
  const inputs = [...inputsOf(question)];
  if (question.multiselect) {
    for (const input of inputs) input.checked = value.includes(input.value);
  } else if (inputs[0].value !== value) {
    inputs[0].value = value;
  }
}

function scheduleEvaluate() {
  clearTimeout(timer);
  timer = setTimeout(evaluate, 150);
}

async function evaluate() {
  const mine = ++sequence;
  try {
    const body = await getJSON(`/api/evaluate?${queryOf(touched)}`);
    if (mine !== sequence) return;
    latest = body;
    showAnswers(body);
    showError("");
  } catch (error) {
    if (mine === sequence) showError(error.message);
  }
}

function showError(message) {
  byId("error").textContent = message;
  byId("error").hidden = !message;
  byId("download").toggleAttribute("aria-disabled", Boolean(message));
}

function showAnswers(body) {
  for (const question of questions) {
    if (!(question.name in touched)) writeField(question, body.answers[question.name]);
    byId(`help-${question.name}`).textContent = body.help[question.name];
  }
  const picked = body.recommendation;
  const scores = Object.entries(picked.scores)
    .map(([name, score]) => `${body.names[name]} ${score}`)
    .join(", ");
  byId("pick").textContent = `Recommended: ${body.names[picked.framework]} (scores: ${scores})`;
  const reasons = byId("reasons");
  reasons.replaceChildren(
    ...picked.reasons.map((reason) => {
      const item = element("li", {}, reason.text);
      item.append(element("span", { class: "source" }, `source: ${reason.source}`));
      return item;
    }),
  );
  const override = byId("override");
  override.hidden = !body.overridden;
  const chosen = body.names[body.answers.framework];
  override.textContent = body.overridden ? `Overridden: the starter is ${chosen}.` : "";
  const share = new URL(body.share, window.location.origin).toString();
  byId("share-link").href = share;
  byId("share-link").textContent = share;
  byId("command-stackpick").textContent = body.commands.stackpick;
  byId("command-copier").textContent = body.commands.copier;
  byId("download").href = `/api/download?${body.query}`;
  byId("download").textContent = `Download ${body.answers.project_slug}.zip`;
  if (byId("tree").childElementCount) byId("tree-status").textContent = "The answers changed: show the files again.";
}

async function explore() {
  if (!latest) return;
  const query = latest.query;
  byId("tree-status").textContent = "Rendering…";
  try {
    const body = await getJSON(`/api/tree?${query}`);
    const tree = byId("tree");
    tree.replaceChildren(
      ...body.files.map((path) => {
        const item = element("li");
        const button = element("button", { type: "button", "data-path": path }, `${body.root}/${path}`);
        button.addEventListener("click", () => showFile(query, path));
        item.append(button);
        return item;
      }),
    );
    byId("tree-status").textContent = `${body.files.length} files`;
  } catch (error) {
    byId("tree-status").textContent = error.message;
  }
}

async function showFile(query, path) {
  try {
    const body = await getJSON(`/api/file?${query}&${new URLSearchParams({ path })}`);
    byId("file-name").textContent = path;
    byId("file-content").textContent = body.binary ? "(binary file)" : body.content;
  } catch (error) {
    byId("file-content").textContent = error.message;
  }
}

function answersInLink() {
  const params = new URLSearchParams(window.location.search);
  for (const question of questions) {
    if (!params.has(question.name)) continue;
    const value = params.get(question.name);
    touched[question.name] = question.multiselect ? value.split(",").filter(Boolean) : value;
    writeField(question, touched[question.name]);
  }
}

async function start() {
  const body = await getJSON("/api/questions");
  questions = body.questions;
  byId("questionnaire").replaceChildren(...questions.map(buildField));
  byId("explore-button").addEventListener("click", explore);
  answersInLink();
  await evaluate();
}

start().catch((error) => showError(error.message));
