namespace Presence.Web.Model;

/// <summary>
/// Runs a callback at most once per interval however often it is requested (after the Aspire dashboard's
/// <c>CallbackThrottler</c>): the first request after a quiet interval runs at once; requests arriving sooner are
/// coalesced into one run at the end of the interval; a request while the callback runs schedules one more run after
/// it. Used to re-render a live view once per burst of changes instead of once per change. Thread-safe.
/// </summary>
internal sealed class CallbackThrottler : IDisposable
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly Func<Task> _callback;
    private readonly Action<Exception>? _onError;
    private readonly ITimer _timer;
    private long _lastStart;
    private bool _hasRun;
    private bool _scheduled;
    private bool _running;
    private bool _pending;
    private bool _disposed;

    /// <summary>Creates a throttler.</summary>
    /// <param name="time">Clock and timers.</param>
    /// <param name="minInterval">Minimum time between the starts of two runs (&gt; 0).</param>
    /// <param name="callback">The work, e.g. <c>() =&gt; InvokeAsync(StateHasChanged)</c>.</param>
    /// <param name="onError">Told of an exception thrown by <paramref name="callback"/> (the throttler keeps working).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minInterval"/> is not positive.</exception>
    public CallbackThrottler(TimeProvider time, TimeSpan minInterval, Func<Task> callback, Action<Exception>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minInterval, TimeSpan.Zero);
        _time = time;
        MinInterval = minInterval;
        _callback = callback;
        _onError = onError;
        _timer = time.CreateTimer(static s => ((CallbackThrottler)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Minimum time between the starts of two runs.</summary>
    public TimeSpan MinInterval { get; }

    /// <summary>Number of times the callback was started.</summary>
    public long Runs { get; private set; }

    /// <summary>Asks for a run: now when the interval since the last run has passed, otherwise once at its end.</summary>
    public void Request()
    {
        bool runNow;
        lock (_gate)
        {
            if (_disposed) return;
            if (_running) { _pending = true; return; }
            if (_scheduled) return;
            var due = DueLocked();
            runNow = due <= TimeSpan.Zero;
            if (runNow) StartLocked();
            else
            {
                _scheduled = true;
                _timer.Change(due, Timeout.InfiniteTimeSpan);
            }
        }
        if (runNow) _ = RunAsync();
    }

    /// <summary>Stops future runs; a run in progress completes.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _scheduled = false;
            _pending = false;
        }
        _timer.Dispose();
    }

    private TimeSpan DueLocked() =>
        _hasRun ? MinInterval - _time.GetElapsedTime(_lastStart) : TimeSpan.Zero;

    private void StartLocked()
    {
        _running = true;
        _hasRun = true;
        _lastStart = _time.GetTimestamp();
        Runs++;
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_disposed || !_scheduled) return;
            _scheduled = false;
            StartLocked();
        }
        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            await _callback().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _onError?.Invoke(ex);
        }
        bool again;
        lock (_gate)
        {
            _running = false;
            again = _pending && !_disposed;
            _pending = false;
        }
        if (again) Request();
    }
}
