// Articles published while the list is open appear at its top, pushed over a WebSocket.
(() => {
  const list = document.querySelector("[data-live-articles]");
  if (!list) return;
  const url = `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/api/ws/articles`;
  let retry = 1000;

  function show(article) {
    const item = document.createElement("article");
    const heading = item.appendChild(document.createElement("h2"));
    const link = heading.appendChild(document.createElement("a"));
    link.href = `/articles/${encodeURIComponent(article.slug)}`;
    link.textContent = article.title;
    const meta = item.appendChild(document.createElement("p"));
    meta.className = "meta";
    meta.textContent = `by ${article.author.username} on ${article.created_at.slice(0, 10)}`;
    list.prepend(item);
    list.querySelector("[data-empty]")?.remove();
  }

  function connect() {
    const socket = new WebSocket(url);
    socket.onopen = () => { retry = 1000; };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "article.published") show(message.article);
    };
    // Reconnect after a restart or a dropped connection, waiting longer each time.
    socket.onclose = () => {
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }

  connect();
})();
