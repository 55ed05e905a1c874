// Articles published while this page is open appear at the top of its list.
(function () {
  "use strict";
  var list = document.getElementById("articles");
  if (!list || !("WebSocket" in window)) return;
  var scheme = location.protocol === "https:" ? "wss:" : "ws:";
  var socket = new WebSocket(scheme + "//" + location.host + "/api/ws/articles");
  socket.addEventListener("message", function (event) {
    var data = JSON.parse(event.data);
    if (data.type !== "article.published") return;
    var link = document.createElement("a");
    link.href = "/articles/" + encodeURIComponent(data.article.slug);
    link.textContent = data.article.title;
    var heading = document.createElement("h2");
    heading.appendChild(link);
    var byline = document.createElement("p");
    byline.className = "meta";
    byline.textContent = "by " + data.article.author.username;
    var item = document.createElement("article");
    item.appendChild(heading);
    item.appendChild(byline);
    var empty = list.querySelector(".empty");
    if (empty) empty.remove();
    list.insertBefore(item, list.firstChild);
  });
})();
