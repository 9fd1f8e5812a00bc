// Starts Swagger UI on the served OpenAPI document. A file of its own, not an inline script, so
// that the docs page's Content-Security-Policy can allow our own files and nothing else; no
// validator badge, which would load an image from outside.
window.addEventListener("load", function () {
  var container = document.getElementById("swagger-ui-container");
  window.ui = SwaggerUIBundle({
    url: container.dataset.specUrl,
    dom_id: "#swagger-ui-container",
    validatorUrl: null
  });
});
