using Microsoft.Extensions.Logging;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;

namespace Presence.Xmpp.AdHoc;

/// <summary>
/// Learns the IP and host name of each new client session (docs/ARCHITECTURE.md §7, XEP-0133): sessions that appear
/// are collected for a short moment, then one XEP-0133 online-sessions command as server admin gives their IPs
/// (<see cref="OnlineSessions"/>, Prosody) — or, where the server has no such command (ejabberd), one user-stats command
/// per user (<see cref="UserStats"/>) — and a cached reverse DNS lookup with a timeout gives the host names. Results reach
/// the tracker as <see cref="ResourceDetailsUpdate"/>s. Runs beside presence handling and never blocks it; failures
/// leave the attributes empty. Only sessions of the server's own domain are asked about.
/// </summary>
public sealed class SessionDetailsResolver
{
    private const int MaxAttempts = 3;
    private readonly PresenceTracker _tracker;
    private readonly IReverseDnsResolver _dns;
    private readonly string _domain;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _gather;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly HashSet<(UserId User, string Resource)> _known = [];
    private readonly Dictionary<(UserId User, string Resource), int> _pending = [];
    private TaskCompletionSource _signal = NewSignal();

    /// <summary>Creates the resolver.</summary>
    /// <param name="tracker">Where details go.</param>
    /// <param name="dns">Reverse DNS.</param>
    /// <param name="domain">The server's domain: the admin command's addressee and the only users asked about.</param>
    /// <param name="timeout">Iq timeout for the command.</param>
    /// <param name="gather">How long new sessions are collected before one command is sent (e.g. 200 ms).</param>
    /// <param name="logger">Logger.</param>
    public SessionDetailsResolver(PresenceTracker tracker, IReverseDnsResolver dns, string domain, TimeSpan timeout, TimeSpan gather, ILogger logger)
    {
        _tracker = tracker;
        _dns = dns;
        _domain = domain.ToLowerInvariant();
        _timeout = timeout;
        _gather = gather;
        _logger = logger;
    }

    /// <summary>Notes that a resource is available; a session not seen before in this link session is queued for lookup.</summary>
    public void OnAvailable(UserId user, string resource)
    {
        if (!string.Equals(user.Domain, _domain, StringComparison.Ordinal)) return;
        lock (_gate)
        {
            if (!_known.Add((user, resource))) return;
            _pending[(user, resource)] = 0;
            _signal.TrySetResult();
        }
    }

    /// <summary>Forgets a session (or all of a user's when <paramref name="resource"/> is <c>null</c>); a later one is looked up again.</summary>
    public void OnUnavailable(UserId user, string? resource)
    {
        lock (_gate)
        {
            if (resource is not null) { _known.Remove((user, resource)); _pending.Remove((user, resource)); return; }
            _known.RemoveWhere(k => k.User == user);
            foreach (var k in _pending.Keys.Where(k => k.User == user).ToList()) _pending.Remove(k);
        }
    }

    /// <summary>Looks up queued sessions until the link session ends.</summary>
    public async Task RunSessionAsync(IIqRequester link, CancellationToken cancellationToken)
    {
        lock (_gate) { _known.Clear(); _pending.Clear(); _signal = NewSignal(); }
        var perUser = false;
        try
        {
            while (true)
            {
                Task signal;
                lock (_gate) signal = _signal.Task;
                await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(_gather, cancellationToken).ConfigureAwait(false);
                List<(UserId User, string Resource)> batch;
                lock (_gate)
                {
                    batch = [.. _pending.Keys];
                    _signal = NewSignal();
                }
                if (batch.Count == 0) continue;
                IReadOnlyList<OnlineSession> sessions;
                try
                {
                    sessions = perUser
                        ? await QueryPerUserAsync(link, batch).ConfigureAwait(false)
                        : await OnlineSessions.QueryAsync(link, _domain, _timeout).ConfigureAwait(false);
                }
                catch (Exception ex) when (!perUser && (ex is NotSupportedException
                    || ex is XmppIqErrorException { Error.Condition: "item-not-found" or "feature-not-implemented" or "service-unavailable" or "bad-request" }))
                {
                    // ejabberd lists online users without sessions; its user-stats command gives each user's session IPs.
                    _logger.LogInformation("The server's XEP-0133 online users list gives no session IPs ({Error}); asking per user (user-stats) instead", ex.Message);
                    perUser = true;
                    lock (_gate) _signal.TrySetResult();
                    continue;
                }
                catch (XmppIqErrorException ex)
                {
                    _logger.LogWarning("The server refused the XEP-0133 {Command} command ({Error}); session IPs stay unknown until reconnect. Is the component a server admin?",
                        perUser ? "user-stats" : "online sessions", ex.Error);
                    return;
                }
                catch (XmppIqTimeoutException ex)
                {
                    _logger.LogWarning("The XEP-0133 online sessions command timed out: {Error}", ex.Message);
                    lock (_gate) _signal.TrySetResult();
                    continue;
                }
                Apply(batch, sessions, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (XmppLinkLostException)
        {
            // the session is over; the component reconnects
        }
    }

    private async Task<IReadOnlyList<OnlineSession>> QueryPerUserAsync(IIqRequester link, List<(UserId User, string Resource)> batch)
    {
        var result = new List<OnlineSession>();
        foreach (var user in batch.Select(b => b.User).Distinct())
            result.AddRange(await UserStats.QueryAsync(link, _domain, user.Value, _timeout).ConfigureAwait(false));
        return result;
    }

    private void Apply(List<(UserId User, string Resource)> batch, IReadOnlyList<OnlineSession> sessions, CancellationToken cancellationToken)
    {
        var byKey = new Dictionary<(UserId, string), OnlineSession>();
        foreach (var s in sessions)
        {
            if (UserId.TryParse(s.BareJid, out var id, out _)) byKey[(id, s.Resource)] = s;
        }
        var retry = false;
        foreach (var key in batch)
        {
            if (byKey.TryGetValue(key, out var session))
            {
                lock (_gate) _pending.Remove(key);
                if (session.Ip is null) continue;
                _tracker.Apply(new ResourceDetailsUpdate(key.User, key.Resource, session.Ip, null));
                _ = ResolveHostAsync(key.User, key.Resource, session.Ip, cancellationToken);
                continue;
            }
            lock (_gate)
            {
                if (!_pending.TryGetValue(key, out var attempts)) continue;
                if (attempts + 1 >= MaxAttempts) _pending.Remove(key);
                else { _pending[key] = attempts + 1; retry = true; }
            }
        }
        if (retry) lock (_gate) _signal.TrySetResult();
    }

    private async Task ResolveHostAsync(UserId user, string resource, string ip, CancellationToken cancellationToken)
    {
        try
        {
            var host = await _dns.LookupAsync(ip, cancellationToken).ConfigureAwait(false);
            if (host is not null) _tracker.Apply(new ResourceDetailsUpdate(user, resource, null, host));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogDebug(ex, "Reverse DNS of {Ip} failed", ip);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
