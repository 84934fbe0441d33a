using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Presence.Web.Authentication;

namespace Presence.Web.Hubs;

/// <summary>
/// Closes open hub connections whose API token stopped being accepted when the secrets changed (DESIGN §5, §6): an
/// API client revoked, its secret rotated without a grace period, the shared secret changed. Without it such a
/// connection would keep receiving presence until its token's expiry (<c>Presence:Tokens:Expiry</c>). Connections
/// signed in with the dashboard cookie are not tracked. The tokens are held in memory only, never logged.
/// </summary>
public sealed class HubTokenRevalidation : IDisposable
{
    private readonly ConcurrentDictionary<string, OpenConnection> _open = new(StringComparer.Ordinal);
    private readonly TokenAuthenticator _tokens;
    private readonly ILogger<HubTokenRevalidation> _logger;

    /// <summary>Creates the revalidation and follows <see cref="TokenAuthenticator.Changed"/>.</summary>
    public HubTokenRevalidation(TokenAuthenticator tokens, ILogger<HubTokenRevalidation> logger)
    {
        _tokens = tokens;
        _logger = logger;
        tokens.Changed += RecheckAll;
    }

    /// <summary>Connections opened with an API token and still open.</summary>
    public int Count => _open.Count;

    /// <summary>
    /// Starts following <paramref name="context"/> when it was authenticated with an API token (the
    /// <see cref="HubTokenAuthenticationHandler"/> scheme); a cookie-authenticated connection is ignored.
    /// </summary>
    public void Track(HubCallerContext context)
    {
        if (context.User?.Identity?.AuthenticationType != HubTokenAuthenticationHandler.SchemeName) return;
        if (context.GetHttpContext() is not { } http || PresenceHubAuthentication.GetToken(http.Request) is not { } token) return;
        _open[context.ConnectionId] = new OpenConnection(token, context);
    }

    /// <summary>Stops following a closed connection.</summary>
    public void Forget(string connectionId) => _open.TryRemove(connectionId, out _);

    /// <summary>Checks every followed connection's token again and aborts the connections whose token is refused now.</summary>
    public void RecheckAll()
    {
        try
        {
            foreach (var (id, open) in _open)
            {
                if (_tokens.Recheck(open.Token) is { IsValid: false } outcome && _open.TryRemove(id, out _))
                {
                    _logger.LogInformation("Closed the hub connection {ConnectionId} of {User}: its token is no longer accepted ({Reason})",
                        id, open.Context.UserIdentifier, outcome.Error);
                    open.Context.Abort();
                }
            }
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Checking the open hub connections' tokens again failed");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _tokens.Changed -= RecheckAll;

    private sealed record OpenConnection(string Token, HubCallerContext Context);
}
