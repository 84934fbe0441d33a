using Microsoft.AspNetCore.Components;
using Presence.Domain.Tracking;
using Presence.Web.Model;

namespace Presence.Web.Components.Pages;

/// <summary>
/// The live presence board (docs/ARCHITECTURE.md §10): loads the tracker's snapshot, then follows its change feed on a background
/// watcher that updates the view model and asks for a throttled re-render, so a burst of changes costs one render
/// (of the rows in view whose data changed; the rows are virtualised). The address follows the search, filter and sort
/// (<c>?q=&amp;state=&amp;sort=&amp;dir=</c>, defaults omitted; the history entry is replaced, not added), so a board can
/// be bookmarked, shared and reloaded as the person left it.
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
    private (long Version, BoardQuery Query) _shown;
    private readonly List<string> _replacing = []; // addresses the board asked for whose location change has not come back yet
    private string? _address; // the address whose parameters were last set

    /// <summary>The presence authority.</summary>
    [Inject] public required PresenceTracker Tracker { get; init; }

    /// <summary>Clock for render throttling.</summary>
    [Inject] public required TimeProvider Time { get; init; }

    /// <summary>Reads and replaces the address (whose query carries the board's search, filter and sort).</summary>
    [Inject] public required NavigationManager Navigation { get; init; }

    /// <summary>Log.</summary>
    [Inject] public required ILogger<Board> Logger { get; init; }

    /// <summary>Search text (<c>?q=</c>).</summary>
    [SupplyParameterFromQuery(Name = "q")] public string? Search { get; set; }

    /// <summary>State filter (<c>?state=busy</c>; all, available, busy, away, unavailable, stale).</summary>
    [SupplyParameterFromQuery(Name = "state")] public string? Filter { get; set; }

    /// <summary>Sort (<c>?sort=lastchange</c>; user, state, lastchange, resources).</summary>
    [SupplyParameterFromQuery(Name = "sort")] public string? Sort { get; set; }

    /// <summary>Direction (<c>?dir=desc</c>).</summary>
    [SupplyParameterFromQuery(Name = "dir")] public string? Direction { get; set; }

    /// <summary>The view model's version: changes applied so far (ahead of <see cref="RenderedVersion"/> while a render is throttled).</summary>
    internal long ModelVersion => _model.Version;

    /// <summary>The view model version last rendered.</summary>
    internal long RenderedVersion => _renderedVersion;

    /// <summary>Times the board itself rendered (for tests that check its own address change costs no render).</summary>
    internal int RenderCount { get; private set; }

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        _model.Query = AddressQuery();

        if (!RendererInfo.IsInteractive)
        {
            // Pre-rendering: show the current snapshot; the interactive render that follows subscribes.
            _model.Load(Tracker.Snapshot().Users);
            Refresh();
        }
        else
        {
            var (feed, snapshot) = Tracker.Subscribe("board", FeedCapacity);
            _feed = feed;
            _model.Load(snapshot.Users);
            Refresh();
            _throttler = new CallbackThrottler(Time, RenderInterval, () => InvokeAsync(RenderChanges),
                ex => Logger.LogWarning(ex, "Rendering board changes failed"));
            _watcher = WatchAsync(feed, _stop.Token);
        }
        _shown = (_renderedVersion, _model.Query); // what the first render (which ShouldRender does not gate) shows
    }

    /// <inheritdoc />
    /// <remarks>
    /// Runs again whenever the address changes, including after the board replaced it itself: then the address says
    /// what the board already shows and nothing happens (<see cref="ShouldRender"/> skips the render). In a browser the
    /// replaced address comes back asynchronously, so one of the board's own addresses that a later one of its own
    /// has superseded is ignored (it would undo the newer choice until that comes back too). An address that asks for
    /// another view (a link, an edited address) applies it to the same feed subscription.
    /// </remarks>
    protected override void OnParametersSet()
    {
        if (Navigation.Uri == _address) return; // the same address again (a parent rendered): nothing to apply
        _address = Navigation.Uri;
        var own = _replacing.IndexOf(Navigation.Uri);
        if (own >= 0)
        {
            _replacing.RemoveRange(0, own + 1);
            if (_replacing.Count > 0) return;
        }
        else
        {
            _replacing.Clear();
        }
        var query = AddressQuery();
        if (query == _model.Query) return;
        _model.Query = query;
        Refresh();
    }

    /// <summary>Renders only when the rows or the query differ from those last rendered.</summary>
    protected override bool ShouldRender()
    {
        var now = (_renderedVersion, _model.Query);
        if (now == _shown) return false;
        _shown = now;
        return true;
    }

    /// <inheritdoc />
    protected override void OnAfterRender(bool firstRender) => RenderCount++;

    /// <summary>
    /// The query the address asks for; parameters missing or not understood (unknown names, numbers, lists) give the default.
    /// </summary>
    private BoardQuery AddressQuery() => new(
        Search ?? "",
        Named(Filter, BoardFilter.All),
        Named(Sort, BoardSort.User),
        string.Equals(Direction, "desc", StringComparison.OrdinalIgnoreCase));

    /// <summary>The member of <typeparamref name="T"/> called <paramref name="name"/> (any case), else <paramref name="fallback"/>.</summary>
    private static T Named<T>(string? name, T fallback) where T : struct, Enum =>
        name is { Length: > 0 } && name.All(char.IsAsciiLetter) && Enum.TryParse<T>(name, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : fallback;

    /// <summary>
    /// The current address with <paramref name="query"/> in its query string: <c>q</c> (the search as typed),
    /// <c>state</c> and <c>sort</c> (lower-case names), <c>dir=desc</c>; parameters at their default are left out.
    /// </summary>
    private string AddressOf(BoardQuery query) => Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
    {
        ["q"] = query.Search.Length == 0 ? null : query.Search,
        ["state"] = query.Filter == BoardFilter.All ? null : query.Filter.ToString().ToLowerInvariant(),
        ["sort"] = query.Sort == BoardSort.User ? null : query.Sort.ToString().ToLowerInvariant(),
        ["dir"] = query.Descending ? "desc" : null,
    });

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
        if (query == _model.Query) return Task.CompletedTask;
        _model.Query = query;
        Refresh();
        var address = AddressOf(query);
        if (address == Navigation.Uri) return Task.CompletedTask;
        _replacing.Add(address);
        Navigation.NavigateTo(address, new NavigationOptions { ReplaceHistoryEntry = true });
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
