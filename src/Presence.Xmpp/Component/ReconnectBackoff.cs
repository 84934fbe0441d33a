namespace Presence.Xmpp.Component;

/// <summary>
/// Capped exponential backoff with jitter for reconnecting (DESIGN §4): the n-th consecutive failure waits a random
/// time in [d/2, d] where d = min(<see cref="Max"/>, <see cref="Initial"/> · 2ⁿ). The caller resets the attempt count
/// after a successful handshake.
/// </summary>
/// <param name="Initial">Delay before the first retry (&gt; 0).</param>
/// <param name="Max">Cap (≥ <paramref name="Initial"/>).</param>
public sealed record ReconnectBackoff(TimeSpan Initial, TimeSpan Max)
{
    /// <summary>The delay before retry number <paramref name="attempt"/> (0 = first retry).</summary>
    /// <param name="attempt">Consecutive failures so far minus one, ≥ 0.</param>
    /// <param name="random">Jitter source; <see cref="Random.Shared"/> when <c>null</c>.</param>
    public TimeSpan Delay(int attempt, Random? random = null)
    {
        var capped = Math.Min(Max.TotalMilliseconds, Initial.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt, 0, 30)));
        var jittered = capped / 2 + (random ?? Random.Shared).NextDouble() * capped / 2;
        return TimeSpan.FromMilliseconds(jittered);
    }
}
