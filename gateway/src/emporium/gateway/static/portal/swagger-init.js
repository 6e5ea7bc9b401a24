// Swagger UI over the gateway's merged OpenAPI document (served by the gateway, no CDN).
"use strict";
(function () {
  // For the password flow Swagger UI sends `Authorization: Basic base64(":")` when no client
  // id is given; that is an (empty) client authentication the token endpoint must refuse, and
  // a 401 with a Basic challenge makes the browser pop up its own login box. Sign-in from the
  // docs is a public client's password grant, so drop the empty header.
  var emptyBasic = "Basic " + window.btoa(":");
  function dropEmptyClientAuth(request) {
    var headers = request.headers || {};
    Object.keys(headers).forEach(function (name) {
      if (name.toLowerCase() === "authorization" && headers[name] === emptyBasic) {
        delete headers[name];
      }
    });
    return request;
  }

  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    showExtensions: true,
    showCommonExtensions: true,
    persistAuthorization: true,
    displayRequestDuration: true,
    tryItOutEnabled: true,
    filter: true,
    validatorUrl: null, // the default would call a public validator service
    oauth2RedirectUrl: window.location.origin + "/docs/oauth2-redirect",
    requestInterceptor: dropEmptyClientAuth,
  });
})();
