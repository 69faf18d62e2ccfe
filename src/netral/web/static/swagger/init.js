// Swagger UI for netral's API, served from the app itself (no CDN, no inline script: CSP).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui" });
});
