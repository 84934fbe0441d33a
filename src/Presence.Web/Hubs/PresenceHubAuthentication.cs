using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Presence.Web.Hubs;

/// <summary>
/// Who may use <see cref="PresenceHub"/>: a caller with an API token (query <c>access_token</c>, which browsers'
/// WebSocket and SSE transports need, or <c>Authorization: Bearer</c>) or with the dashboard's sign-in cookie
/// (docs/ARCHITECTURE.md §9). A policy scheme forwards authentication to the token scheme when a token is present and otherwise to
/// the sign-in cookie scheme (<see cref="PresenceHubOptions.CookieScheme"/>) when it is registered; the challenge always goes to the token scheme, so a refused
/// negotiate is a <c>401</c> (never a redirect to the sign-in page).
/// </summary>
internal static class PresenceHubAuthentication
{
    /// <summary>Authorization policy of the hub: any authenticated principal of <see cref="Scheme"/>.</summary>
    public const string PolicyName = "PresenceHub";

    /// <summary>The forwarding authentication scheme of the hub.</summary>
    public const string Scheme = "PresenceHub";

    /// <summary>Query parameter carrying the token on hub requests (the SignalR clients' convention).</summary>
    public const string AccessTokenParameter = "access_token";

    /// <summary>Registers the forwarding scheme and the policy; <paramref name="tokenScheme"/> validates API tokens.</summary>
    public static IServiceCollection AddPresenceHubAuthentication(this IServiceCollection services, string tokenScheme)
    {
        services.AddAuthentication().AddPolicyScheme(Scheme, "API token or sign-in cookie", _ => { });
        services.AddSingleton<IConfigureOptions<PolicySchemeOptions>>(sp => new ConfigureNamedOptions<PolicySchemeOptions>(Scheme, o =>
        {
            var cookieScheme = SignInCookieScheme(sp, tokenScheme);
            o.ForwardDefaultSelector = context => cookieScheme is null || HasToken(context.Request) ? tokenScheme : cookieScheme;
            o.ForwardChallenge = tokenScheme;
            o.ForwardForbid = tokenScheme;
        }));
        services.AddAuthorizationBuilder().AddPolicy(PolicyName, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>True when the request carries a bearer header or an <c>access_token</c> query parameter.</summary>
    public static bool HasToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ||
        !string.IsNullOrEmpty(request.Query[AccessTokenParameter]);

    /// <summary>
    /// The token of a hub request: the bearer header, else the <c>access_token</c> query parameter on paths under
    /// <c>/hubs/</c> (elsewhere a token in the query string is not accepted, it would end up in logs).
    /// </summary>
    /// <returns>The token text, or <c>null</c> when none.</returns>
    public static string? GetToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (request.Path.StartsWithSegments(PresenceHubRegistration.Path) &&
            request.Query[AccessTokenParameter].ToString() is { Length: > 0 } query) return query;
        return null;
    }

    /// <summary>
    /// The sign-in cookie scheme the hub accepts: <see cref="PresenceHubOptions.CookieScheme"/> when it is registered,
    /// otherwise <c>null</c> (tokens only).
    /// </summary>
    public static string? SignInCookieScheme(IServiceProvider services, string tokenScheme)
    {
        var name = services.GetRequiredService<IOptions<PresenceHubOptions>>().Value.CookieScheme;
        var schemes = services.GetRequiredService<IOptions<AuthenticationOptions>>().Value.SchemeMap;
        return !string.IsNullOrEmpty(name) && name != tokenScheme && name != Scheme && schemes.ContainsKey(name) ? name : null;
    }
}
