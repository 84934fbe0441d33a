using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Presence.Web.Api;
using Presence.Web.Configuration;

namespace Presence.Web.Hubs;

/// <summary>Registers and maps the SignalR hub (docs/ARCHITECTURE.md §9).</summary>
internal static class PresenceHubRegistration
{
    /// <summary>The hub's path.</summary>
    public const string Path = "/hubs/presence";

    /// <summary>
    /// Adds SignalR (JSON protocol with the API's source-generated DTOs), the hub's authentication (API token through
    /// <see cref="Authentication.TokenAuthenticator"/>, or the sign-in cookie) and the broadcaster that pushes the
    /// tracker's changes; needs the tracker and token authentication registered (<c>AddPresenceTracking</c>,
    /// <c>AddPresenceTokenAuthentication</c>); binds <see cref="PresenceHubOptions"/> from <c>Presence:Hub</c> (validated at start).
    /// </summary>
    public static WebApplicationBuilder AddPresenceHub(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolver =
            JsonTypeInfoResolver.Combine(PresenceJsonContext.Default, new DefaultJsonTypeInfoResolver()));
        services.AddOptions<PresenceHubOptions>().BindValidated(PresenceHubOptions.Section);
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, HubTokenAuthenticationHandler>(HubTokenAuthenticationHandler.SchemeName, null);
        services.AddPresenceHubAuthentication(HubTokenAuthenticationHandler.SchemeName);
        services.AddHubErrorLogging();
        services.AddHubConnectionLimit();
        services.AddSingleton<HubConnectionRevalidation>();
        services.AddHostedService(sp => sp.GetRequiredService<HubConnectionRevalidation>());
        services.AddSingleton<PresenceBroadcaster>();
        services.AddHostedService(sp => sp.GetRequiredService<PresenceBroadcaster>());
        return builder;
    }

    /// <summary>
    /// Maps <see cref="PresenceHub"/> at <see cref="Path"/>, authorised by <see cref="PresenceHubAuthentication.PolicyName"/>.
    /// A connection is closed by the server when its authentication expires: an API token's issue time +
    /// <c>Presence:Tokens:Expiry</c> (or its secret's end of validity if earlier), a sign-in cookie's own expiry; and
    /// at once when its API token's secret is revoked or rotated out, and within a minute when its sign-in account is
    /// deleted or its password changed (<see cref="HubConnectionRevalidation"/>). A caller's connections are bounded
    /// (<see cref="HubConnectionLimit"/>): over the limit, negotiate answers 429, and a connection that skipped it is closed.
    /// </summary>
    public static WebApplication MapPresenceHub(this WebApplication app)
    {
        app.MapHub<PresenceHub>(Path, o => o.CloseOnAuthenticationExpiration = true).RefuseNegotiateOverLimit();
        return app;
    }
}
