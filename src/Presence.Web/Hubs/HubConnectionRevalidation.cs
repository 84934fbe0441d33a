using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Presence.Web.Authentication;

namespace Presence.Web.Hubs;

/// <summary>
/// Closes open hub connections whose authentication no longer holds (docs/ARCHITECTURE.md §8, §9), instead of at its expiry:
/// <list type="bullet">
/// <item>opened with an API token: at once when the secrets change so that the token is refused (an API client
/// revoked, its secret rotated without a grace period, the shared secret changed);</item>
/// <item>opened with the dashboard's sign-in cookie: within <see cref="DashboardSessions.RevalidationInterval"/> once
/// the account is deleted or its password changed or reset (security stamp), as the dashboard's own sessions.</item>
/// </list>
/// Tokens and principals are held in memory only, never logged.
/// </summary>
public sealed class HubConnectionRevalidation : BackgroundService
{
    private readonly ConcurrentDictionary<string, TokenConnection> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HubCallerContext> _sessions = new(StringComparer.Ordinal);
    private readonly TokenAuthenticator _authenticator;
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<IdentityOptions> _identity;
    private readonly TimeProvider _time;
    private readonly ILogger<HubConnectionRevalidation> _logger;

    /// <summary>Creates the revalidation and follows <see cref="TokenAuthenticator.Changed"/>.</summary>
    public HubConnectionRevalidation(TokenAuthenticator authenticator, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity,
        TimeProvider time, ILogger<HubConnectionRevalidation> logger)
    {
        _authenticator = authenticator;
        _scopes = scopes;
        _identity = identity;
        _time = time;
        _logger = logger;
        authenticator.Changed += RecheckTokens;
    }

    /// <summary>Open connections followed: opened with an API token, and with the Identity sign-in cookie.</summary>
    public (int Tokens, int Sessions) Count => (_tokens.Count, _sessions.Count);

    /// <summary>
    /// Starts following <paramref name="context"/>: a connection authenticated with an API token
    /// (<see cref="HubTokenAuthenticationHandler"/>) or with Identity's application cookie; any other is ignored.
    /// </summary>
    public void Track(HubCallerContext context)
    {
        var scheme = context.User?.Identity?.AuthenticationType;
        if (scheme == HubTokenAuthenticationHandler.SchemeName)
        {
            if (context.GetHttpContext() is { } http && PresenceHubAuthentication.GetToken(http.Request) is { } token)
            {
                _tokens[context.ConnectionId] = new TokenConnection(token, context);
            }
        }
        else if (scheme == IdentityConstants.ApplicationScheme)
        {
            _sessions[context.ConnectionId] = context;
        }
    }

    /// <summary>Stops following a closed connection.</summary>
    public void Forget(string connectionId)
    {
        _tokens.TryRemove(connectionId, out _);
        _sessions.TryRemove(connectionId, out _);
    }

    /// <summary>Checks every token connection's token again and aborts the connections whose token is refused now.</summary>
    public void RecheckTokens()
    {
        try
        {
            foreach (var (id, open) in _tokens)
            {
                if (_authenticator.Recheck(open.Token) is { IsValid: false } outcome && _tokens.TryRemove(id, out _))
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

    /// <summary>Checks every cookie connection's account and aborts those deleted or whose security stamp changed.</summary>
    public async Task RecheckSessionsAsync()
    {
        foreach (var (id, context) in _sessions)
        {
            if (context.User is not { } user || await DashboardSessions.IsCurrentAsync(user, _scopes, _identity.Value)) continue;
            if (!_sessions.TryRemove(id, out _)) continue;
            _logger.LogInformation("Closed the hub connection {ConnectionId} of {User}: the account was deleted or its password changed", id, user.FindFirstValue(ClaimTypes.Name));
            context.Abort();
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(DashboardSessions.RevalidationInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await RecheckSessionsAsync(); }
                catch (Exception ex) when (ex is not OperationCanceledException) { _logger.LogError(ex, "Checking the open hub connections' accounts failed"); }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _authenticator.Changed -= RecheckTokens;
        base.Dispose();
    }

    private sealed record TokenConnection(string Token, HubCallerContext Context);
}
