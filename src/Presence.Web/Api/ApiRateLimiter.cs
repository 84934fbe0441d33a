using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Presence.Web.Authentication;
using Presence.Web.Configuration;

namespace Presence.Web.Api;

/// <summary>
/// Per-caller rate limit (docs/ARCHITECTURE.md §8, 429) with the framework's partitioned token-bucket limiter, partitioned by API
/// client, or by token user for the legacy secret (<see cref="ApiCaller.PartitionKey"/>). Applied after the token is
/// checked, because the compat endpoint carries its token in the body. Limits: <c>Presence:Api:RateLimit</c>.
/// </summary>
internal sealed class ApiRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    /// <summary>Creates the limiter from <see cref="ApiOptions"/>.</summary>
    public ApiRateLimiter(IOptions<ApiOptions> options)
    {
        var o = options.Value;
        // Refill ten times a second when the rate allows it (smoother), else once a second.
        var (perTick, period) = o.PermitsPerSecond >= 10
            ? (o.PermitsPerSecond / 10, TimeSpan.FromMilliseconds(100))
            : (o.PermitsPerSecond, TimeSpan.FromSeconds(1));
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.Burst,
            TokensPerPeriod = perTick,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        Func<string, TokenBucketRateLimiterOptions> factory = _ => bucket; // one delegate, not one per request
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, factory));
    }

    /// <summary>Takes one permit for <paramref name="caller"/>.</summary>
    /// <returns><c>false</c> when the caller is over its limit.</returns>
    public bool TryAcquire(ApiCaller caller)
    {
        using var lease = _limiter.AttemptAcquire(caller.PartitionKey);
        return lease.IsAcquired;
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
