using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Presence.Web.Api;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>): a title and description, the bearer security scheme (the
/// zarafa-presence token) applied to every REST v1 operation, and the API reference page at <see cref="ReferencePath"/>
/// (Scalar, its script served from the service itself: the page works without internet access).
/// </summary>
public static class OpenApiSetup
{
    /// <summary>Name of the bearer security scheme in the document's components.</summary>
    public const string BearerScheme = "bearer";

    /// <summary>Path of the API reference page.</summary>
    public const string ReferencePath = "/scalar";

    /// <summary>Title of the document and the reference page.</summary>
    public const string Title = "Presence API";

    private const string Description =
        "Presence of people across protocols (available, busy, away, unavailable). REST v1 under /api/v1/presence reads and " +
        "publishes per-protocol status; /presence is the zarafa-presence compatible API (token in the body). Every call " +
        "carries a zarafa-presence token {t}:{user}:{MAC} signed with an API client's secret or the shared secret: as a bearer " +
        "token for REST v1, as AuthenticationToken in the compatible API. A spreed status not re-sent expires: annotated " +
        "connection-paused after Presence:Spreed:PausedAfter, unavailable after Presence:Spreed:AutoUnavailable.";

    /// <summary>Adds the document with its transformers.</summary>
    public static IServiceCollection AddPresenceOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document);
            return Task.CompletedTask;
        }));

    /// <summary>Maps <c>/openapi/v1.json</c> and the reference page.</summary>
    public static WebApplication MapPresenceOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(ReferencePath, o =>
        {
            o.Title = Title;
            o.DefaultFonts = false; // the fonts would come from a CDN; the page uses the browser's
            o.Telemetry = false;
        });
        return app;
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = Title;
        document.Info.Description = Description;
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "zarafa-presence token {t}:{user}:{MAC}",
            Description = "A zarafa-presence token: dotnet run --project src/Presence.Web -- token alice@example.com (see README, Tokens).",
        };
        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/api/v1/", StringComparison.Ordinal) || item.Operations is null) continue;
            foreach (var operation in item.Operations.Values)
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
            }
        }
    }
}
