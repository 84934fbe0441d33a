using System.Collections.Concurrent;
using System.Net;

namespace Presence.Xmpp.AdHoc;

/// <summary>
/// Reverse DNS through the system resolver with a timeout and a cache (positive and negative answers kept for
/// <c>ttl</c>). Never throws: a failure is a <c>null</c> host name.
/// </summary>
public sealed class CachingReverseDns(TimeSpan timeout, TimeSpan ttl, TimeProvider? time = null) : IReverseDnsResolver
{
    private readonly ConcurrentDictionary<string, (string? Host, DateTimeOffset Expires)> _cache = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public async Task<string?> LookupAsync(string ip, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(ip, out var hit) && hit.Expires > now) return hit.Host;
        string? host = null;
        if (IPAddress.TryParse(ip, out var address))
        {
            try
            {
                var entry = await Dns.GetHostEntryAsync(address).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                host = string.IsNullOrEmpty(entry.HostName) || entry.HostName == ip ? null : entry.HostName;
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or TimeoutException or ArgumentException)
            {
                host = null; // no PTR record, resolver failure or timeout: the attribute stays empty
            }
        }
        if (_cache.Count > 100_000) _cache.Clear();
        _cache[ip] = (host, now + ttl);
        return host;
    }
}
