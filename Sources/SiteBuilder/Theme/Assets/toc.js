// AllocBook: fills the sidebar's lesson list of a large course from `abLessons`
// ([page, title] pairs), which allocbook writes before this code into assets/toc.js.
(function () {
  var lessons = window.abLessons || [];
  var list = document.getElementById("sidebar-list");
  if (!list) return;
  var current = list.getAttribute("data-current");
  var items = document.createDocumentFragment();
  var mark = null;
  for (var i = 0; i < lessons.length; i++) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = lessons[i][0];
    link.textContent = lessons[i][1];
    if (lessons[i][0] === current) {
      item.className = "current";
      link.setAttribute("aria-current", "page");
      mark = item;
    }
    item.appendChild(link);
    items.appendChild(item);
  }
  list.appendChild(items);
  var bar = list.parentNode;
  if (mark && bar && bar.scrollHeight > bar.clientHeight) {
    bar.scrollTop = mark.offsetTop - bar.clientHeight / 2;
  }
})();
