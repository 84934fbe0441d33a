using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Presence.Xmpp.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer created with a finite due time, so a test can await the
/// moment a retry's wait is scheduled (and read its delay) instead of assuming it exists when a counter moved.
/// </summary>
public sealed class TimerRecordingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan) _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created (in creation order), once it exists.</summary>
    public async Task<TimeSpan> NextTimerAsync() => await _created.Reader.ReadAsync(ComponentHarness.Timeout());
}
