// The Dancer tutorial's page, without jQuery: Set posts the code as a form field, Get reads it back.
const result = document.getElementById("result");

document.getElementById("set").addEventListener("click", async () => {
  const body = new URLSearchParams({ code: document.getElementById("code").value });
  const response = await fetch("/api/code", { method: "POST", body });
  const json = await response.json();
  result.textContent = response.ok ? json.result : json.error;
});

document.getElementById("get").addEventListener("click", async () => {
  const response = await fetch("/api/code");
  const json = await response.json();
  result.textContent = json.result ?? "(no code set)";
});
