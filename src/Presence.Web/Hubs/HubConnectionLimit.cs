using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Presence.Web.Hubs;

/// <summary>
/// Who a hub connection is counted against (<see cref="HubConnectionLimit"/>): the API client whose secret signed the
/// token, for client tokens (a client secret mints tokens for any user, so counting per user would not bound it);
/// the token's user for the legacy shared secret (one secret shared by every legacy application: counting it as one
/// caller would let one application starve the others); the signed-in account for the dashboard's cookie.
/// </summary>
/// <param name="Key">The counter's key (<c>client:{id}</c>, <c>user:{jid}</c>, <c>account:{name}</c>).</param>
/// <param name="Description">The caller in words, for the refusal.</param>
/// <param name="PerClient">Counted per API client (<see cref="PresenceHubOptions.MaxConnectionsPerClient"/>); otherwise per user (<see cref="PresenceHubOptions.MaxConnectionsPerUser"/>).</param>
public sealed record HubCaller(string Key, string Description, bool PerClient)
{
    /// <summary>The caller of an authenticated hub request or connection; <c>null</c> for an anonymous one (the hub refuses those itself).</summary>
    public static HubCaller? From(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { IsAuthenticated: true } identity || user.FindFirstValue(ClaimTypes.Name) is not { Length: > 0 } name) return null;
        if (identity.AuthenticationType != HubTokenAuthenticationHandler.SchemeName) return new("account:" + name, $"the signed-in account '{name}'", PerClient: false);
        return user.FindFirstValue(HubTokenAuthenticationHandler.ClientIdClaim) is { Length: > 0 } id
            ? new("client:" + id, $"the API client '{user.FindFirstValue(HubTokenAuthenticationHandler.ClientClaim)}'", PerClient: true)
            : new("user:" + name, $"the user '{name}' (shared-secret tokens)", PerClient: false);
    }
}

/// <summary>
/// Bounds the open hub connections of each caller (<see cref="HubCaller"/>): <see cref="PresenceHubOptions.MaxConnectionsPerClient"/>
/// per API client, <see cref="PresenceHubOptions.MaxConnectionsPerUser"/> per user of the legacy shared secret and per
/// dashboard account. A connection holds its slot from the hub's connect until its disconnect. Thread-safe.
/// </summary>
public sealed class HubConnectionLimit(IOptions<PresenceHubOptions> options)
{
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>The limit that applies to <paramref name="caller"/> (connections, ≥ 1).</summary>
    public int LimitFor(HubCaller caller) => caller.PerClient ? options.Value.MaxConnectionsPerClient : options.Value.MaxConnectionsPerUser;

    /// <summary>Open connections counted against <paramref name="caller"/>.</summary>
    public int OpenFor(HubCaller caller)
    {
        lock (_open) return _open.GetValueOrDefault(caller.Key);
    }

    /// <summary>Takes a slot for a new connection; <c>false</c> (nothing taken) when the caller is at its limit.</summary>
    public bool TryAcquire(HubCaller caller)
    {
        var limit = LimitFor(caller);
        lock (_open)
        {
            var open = _open.GetValueOrDefault(caller.Key);
            if (open >= limit) return false;
            _open[caller.Key] = open + 1;
            return true;
        }
    }

    /// <summary>Raised after a slot was freed, with the caller and its open connections left (outside the lock).</summary>
    public event Action<HubCaller, int>? Released;

    /// <summary>Frees the slot of a closed connection taken with <see cref="TryAcquire"/>.</summary>
    public void Release(HubCaller caller)
    {
        int open;
        lock (_open)
        {
            open = Math.Max(0, _open.GetValueOrDefault(caller.Key) - 1);
            if (open > 0) _open[caller.Key] = open;
            else _open.Remove(caller.Key);
        }
        Released?.Invoke(caller, open);
    }

    /// <summary>The refusal, as one sentence naming the caller, the limit and its configuration key.</summary>
    public string Refusal(HubCaller caller)
    {
        var key = PresenceHubOptions.Section + ":" + (caller.PerClient ? nameof(PresenceHubOptions.MaxConnectionsPerClient) : nameof(PresenceHubOptions.MaxConnectionsPerUser));
        return $"Too many hub connections: {caller.Description} already has {LimitFor(caller)} open, the most allowed ({key}). Close one before opening another.";
    }
}

/// <summary>
/// Enforces <see cref="HubConnectionLimit"/> when a connection starts: a connection over the limit is closed with a
/// <see cref="HubException"/> whose message is <see cref="HubConnectionLimit.Refusal"/> (the client sees it as the close
/// reason; <see cref="HubErrorLogging"/> logs it as one Debug line). This is the bound for every transport, also for
/// clients that skip negotiation; <see cref="HubConnectionLimitRegistration.RefuseNegotiateOverLimit"/> answers 429 earlier
/// for those that negotiate.
/// </summary>
public sealed class HubConnectionLimitFilter(HubConnectionLimit limit) : IHubFilter
{
    private static readonly object SlotKey = new();

    /// <inheritdoc />
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var caller = HubCaller.From(context.Context.User);
        if (caller is not null)
        {
            if (!limit.TryAcquire(caller)) throw new HubException(limit.Refusal(caller));
            context.Context.Items[SlotKey] = caller;
        }
        try
        {
            await next(context);
        }
        catch
        {
            // SignalR does not call OnDisconnectedAsync for a connection whose OnConnectedAsync failed.
            if (context.Context.Items.Remove(SlotKey, out var held) && held is HubCaller c) limit.Release(c);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        finally
        {
            if (context.Context.Items.Remove(SlotKey, out var held) && held is HubCaller c) limit.Release(c);
        }
    }
}

/// <summary>Registration of the hub's connection limit.</summary>
public static class HubConnectionLimitRegistration
{
    /// <summary>
    /// Registers <see cref="HubConnectionLimit"/> and its filter on <see cref="PresenceHub"/> only (the dashboard's own
    /// Blazor circuits are SignalR connections too, and are not counted). Global filters such as
    /// <see cref="HubErrorLogging"/> run before it and so log its refusals.
    /// </summary>
    public static IServiceCollection AddHubConnectionLimit(this IServiceCollection services)
    {
        services.AddSingleton<HubConnectionLimit>();
        services.AddSignalR().AddHubOptions<PresenceHub>(o => o.AddFilter<HubConnectionLimitFilter>());
        return services;
    }

    /// <summary>
    /// Answers a negotiate request (<c>{hub}/negotiate</c>) of a caller already at its limit with 429 and a problem
    /// detail (RFC 9457) whose <c>detail</c> is <see cref="HubConnectionLimit.Refusal"/>, before any connection exists;
    /// one Debug log line. Only a check: the slot is taken when the connection starts (<see cref="HubConnectionLimitFilter"/>).
    /// </summary>
    public static TBuilder RefuseNegotiateOverLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder { RoutePattern.RawText: { } pattern } || !pattern.EndsWith("/negotiate", StringComparison.Ordinal)
                || endpoint.RequestDelegate is not { } negotiate) return;
            endpoint.RequestDelegate = async http =>
            {
                var limit = http.RequestServices.GetRequiredService<HubConnectionLimit>();
                if (HubCaller.From(http.User) is { } caller && limit.OpenFor(caller) >= limit.LimitFor(caller))
                {
                    var refusal = limit.Refusal(caller);
                    http.RequestServices.GetRequiredService<ILogger<HubConnectionLimit>>().LogDebug("Hub negotiate refused: {Reason}", refusal);
                    await Results.Problem(refusal, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many hub connections").ExecuteAsync(http);
                    return;
                }
                await negotiate(http);
            };
        });
        return builder;
    }
}
