using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Presence.Web.Api;

/// <summary>Registers and maps the HTTP API (docs/ARCHITECTURE.md §8).</summary>
internal static class ApiRegistration
{
    /// <summary>Adds the JSON source-generated context, problem details, OpenAPI, the rate limiter and the writer.</summary>
    public static IServiceCollection AddPresenceApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, PresenceJsonContext.Default));
        services.AddProblemDetails();
        services.AddPresenceOpenApi();
        services.AddSingleton<ApiRateLimiter>();
        services.AddSingleton<PresenceWriter>();
        services.AddPresenceBadge();
        services.AddPresenceHealthChecks();
        return services;
    }

    /// <summary>Maps <c>/presence</c>, <c>/api/v1/presence</c>, <c>/healthz</c>, <c>/openapi/v1.json</c> and the API reference <c>/scalar</c>, and logs where the service listens once started.</summary>
    public static WebApplication MapPresenceApi(this WebApplication app)
    {
        app.UseStatusCodePages();
        app.UseApiExceptionProblems();
        app.MapPresenceOpenApi();
        app.MapCompatPresenceApi();
        app.MapPresenceApiV1();
        app.MapPresenceBadge();
        app.MapPresenceHealth();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            var where = addresses is { Count: > 0 } ? string.Join(", ", addresses) : "(no HTTP address: test server)";
            app.Logger.LogInformation("Presence is listening on {Addresses} — zarafa API /presence, REST /api/v1/presence, OpenAPI /openapi/v1.json, API reference /scalar, health /healthz", where);
        });
        return app;
    }
}
