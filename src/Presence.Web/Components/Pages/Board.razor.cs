using Microsoft.AspNetCore.Components;
using Presence.Domain.Tracking;
using Presence.Web.Model;

namespace Presence.Web.Components.Pages;

/// <summary>
/// The live presence board (DESIGN §7): loads the tracker's snapshot, then follows its change feed on a background
/// watcher that updates the view model and asks for a throttled re-render, so a burst of changes costs one render
/// (of the rows in view whose data changed; the rows are virtualised).
/// </summary>
public sealed partial class Board : ComponentBase, IAsyncDisposable
{
    /// <summary>Minimum time between two renders caused by presence changes.</summary>
    public static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Queue capacity of the board's feed subscription (changes); a board further behind reloads the snapshot.</summary>
    public const int FeedCapacity = 50_000;

    private readonly BoardViewModel _model = new();
    private readonly CancellationTokenSource _stop = new();
    private PresenceFeedSubscription? _feed;
    private CallbackThrottler? _throttler;
    private Task? _watcher;
    private BoardCounts _counts = BoardCounts.Empty;
    private IReadOnlyList<BoardRow> _rows = [];
    private long _renderedVersion;

    /// <summary>The presence authority.</summary>
    [Inject] public required PresenceTracker Tracker { get; init; }

    /// <summary>Clock for render throttling.</summary>
    [Inject] public required TimeProvider Time { get; init; }

    /// <summary>Log.</summary>
    [Inject] public required ILogger<Board> Logger { get; init; }

    /// <summary>Initial search text (<c>?q=</c>).</summary>
    [SupplyParameterFromQuery(Name = "q")] public string? Search { get; set; }

    /// <summary>Initial state filter (<c>?state=busy</c>; all, available, busy, away, unavailable, stale).</summary>
    [SupplyParameterFromQuery(Name = "state")] public string? Filter { get; set; }

    /// <summary>Initial sort (<c>?sort=lastchange</c>; user, state, lastchange, resources).</summary>
    [SupplyParameterFromQuery(Name = "sort")] public string? Sort { get; set; }

    /// <summary>Initial direction (<c>?dir=desc</c>).</summary>
    [SupplyParameterFromQuery(Name = "dir")] public string? Direction { get; set; }

    /// <summary>The view model's version: changes applied so far (ahead of <see cref="RenderedVersion"/> while a render is throttled).</summary>
    internal long ModelVersion => _model.Version;

    /// <summary>The view model version last rendered.</summary>
    internal long RenderedVersion => _renderedVersion;

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        _model.Query = new BoardQuery(
            Search ?? "",
            Enum.TryParse<BoardFilter>(Filter, ignoreCase: true, out var filter) ? filter : BoardFilter.All,
            Enum.TryParse<BoardSort>(Sort, ignoreCase: true, out var sort) ? sort : BoardSort.User,
            string.Equals(Direction, "desc", StringComparison.OrdinalIgnoreCase));

        if (!RendererInfo.IsInteractive)
        {
            // Pre-rendering: show the current snapshot; the interactive render that follows subscribes.
            _model.Load(Tracker.Snapshot().Users);
            Refresh();
            return;
        }
        var (feed, snapshot) = Tracker.Subscribe("board", FeedCapacity);
        _feed = feed;
        _model.Load(snapshot.Users);
        Refresh();
        _throttler = new CallbackThrottler(Time, RenderInterval, () => InvokeAsync(RenderChanges),
            ex => Logger.LogWarning(ex, "Rendering board changes failed"));
        _watcher = WatchAsync(feed, _stop.Token);
    }

    private async Task WatchAsync(PresenceFeedSubscription feed, CancellationToken cancellationToken)
    {
        await Task.Yield(); // leave OnInitialized before reading the feed
        var batch = new List<PresenceChange>();
        try
        {
            while (await feed.WaitToReadAsync(cancellationToken))
            {
                if (feed.ResyncRequired)
                {
                    Logger.LogInformation("Board fell behind the change feed; reloading the snapshot");
                    _model.Load(feed.Resync().Users);
                }
                else
                {
                    batch.Clear();
                    while (feed.TryRead(out var change)) batch.Add(change);
                    _model.Apply(batch);
                }
                _throttler?.Request();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "The board stopped following presence changes");
        }
    }

    private void RenderChanges()
    {
        if (_model.Version == _renderedVersion) return;
        Refresh();
        StateHasChanged();
    }

    private void Refresh()
    {
        _renderedVersion = _model.Version;
        _counts = _model.Counts;
        _rows = _model.Rows;
    }

    private Task SetQueryAsync(BoardQuery query)
    {
        _model.Query = query;
        Refresh();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _throttler?.Dispose();
        _feed?.Dispose();
        if (_watcher is not null) await _watcher;
        _stop.Dispose();
    }
}
