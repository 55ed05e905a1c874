// The article list page: newly published articles appear at its top as they arrive.
(function () {
  "use strict";
  var anchor = document.querySelector("form.search");
  if (!anchor || !("WebSocket" in window)) {
    return;
  }
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";

  function show(article) {
    var item = document.createElement("article");
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = "/articles/" + encodeURIComponent(article.slug);
    link.textContent = article.title;
    heading.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = "by " + article.author.username + " · just published";
    item.appendChild(heading);
    item.appendChild(meta);
    anchor.parentNode.insertBefore(item, anchor.nextSibling);
  }

  function listen() {
    var socket = new WebSocket(scheme + window.location.host + "/api/ws/articles");
    socket.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (event.type === "article.published") {
        show(event.article);
      }
    };
    socket.onclose = function () {
      window.setTimeout(listen, 5000);
    };
  }

  listen();
})();
