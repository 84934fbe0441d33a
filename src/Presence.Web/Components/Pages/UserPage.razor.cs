using Microsoft.AspNetCore.Components;
using MudBlazor;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Components.Controls;
using Presence.Web.Model;

namespace Presence.Web.Components.Pages;

/// <summary>
/// A user's page (docs/ARCHITECTURE.md §10): current per-protocol detail and resources, last seen, and the history as a timeline
/// chart and a paged table over a date range (whole UTC days). Follows the change feed for this user and refreshes
/// (throttled). An invalid or unknown user id shows a page saying so.
/// </summary>
public sealed partial class UserPage : ComponentBase, IAsyncDisposable
{
    /// <summary>Minimum time between two refreshes caused by changes of this user.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Days of history shown when the page opens (the range ends today, UTC).</summary>
    public const int DefaultDays = 7;

    private readonly CancellationTokenSource _stop = new();
    private PresenceFeedSubscription? _feed;
    private CallbackThrottler? _throttler;
    private Task? _watcher;
    private HistoryTable? _table;
    private UserId? _user;
    private string? _invalid;
    private bool _unknown;
    private UserPresence? _presence;
    private DateTimeOffset? _lastSeen;
    private DateRange _range = new();
    private TimelineChart _chart = TimelineChart.Empty;
    private DateTimeOffset? _newestShown;
    private int _historyRetries;

    /// <summary>The user id from the route (a bare JID, URL-decoded).</summary>
    [Parameter] public string User { get; set; } = "";

    /// <summary>The presence authority.</summary>
    [Inject] public required PresenceTracker Tracker { get; init; }

    /// <summary>History reader.</summary>
    [Inject] public required UserHistory History { get; init; }

    /// <summary>Clock.</summary>
    [Inject] public required TimeProvider Time { get; init; }

    /// <summary>Log.</summary>
    [Inject] public required ILogger<UserPage> Logger { get; init; }

    private static readonly List<BreadcrumbItem> Breadcrumbs = [new("Board", href: ""), new("User", href: null, disabled: true)];

    private DateTimeOffset From => new(DateTime.SpecifyKind((_range.Start ?? DateTime.UnixEpoch).Date, DateTimeKind.Utc));

    private DateTimeOffset To => _range.End is { } end
        ? new DateTimeOffset(DateTime.SpecifyKind(end.Date.AddDays(1), DateTimeKind.Utc))
        : Time.GetUtcNow().AddSeconds(1);

    private List<ChartSeries<double>> ChartSeries => [.. _chart.Series.Select(s => new ChartSeries<double>
    {
        Name = s.Protocol,
        Data = new ChartData<double>(s.Levels),
    })];

    private string[] ChartLabels => [.. _chart.Labels.Select((l, i) => i % 8 == 0 || i == _chart.Labels.Count - 1 ? l : "")];

    private static readonly LineChartOptions ChartOptions = new()
    {
        YAxisTicks = 1,
        MaxNumYAxisTicks = 4,
        YAxisSuggestedMax = 3,
        YAxisToStringFunc = level => Timeline.LevelName(level),
        LineStrokeWidth = 2,
    };

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        if (!UserId.TryParse(User, out var user, out var error))
        {
            _invalid = error;
            _user = null;
            return;
        }
        _invalid = null;
        if (user != _user)
        {
            _user = user;
            var today = Time.GetUtcNow().UtcDateTime.Date;
            _range = new DateRange(today.AddDays(-DefaultDays), today);
            StartWatching();
        }
        await LoadAsync();
    }

    private void StartWatching()
    {
        if (!RendererInfo.IsInteractive || _feed is not null) return;
        var (feed, _) = Tracker.Subscribe("user-page", 4_096);
        _feed = feed;
        _throttler = new CallbackThrottler(Time, RefreshInterval, () => InvokeAsync(RefreshAsync),
            ex => Logger.LogWarning(ex, "Refreshing the user page failed"));
        _watcher = WatchAsync(feed, _stop.Token);
    }

    private async Task RefreshAsync()
    {
        await LoadAsync();
        if (_table is not null) await _table.ReloadAsync();
        StateHasChanged();
        // The history writer commits a change shortly after the tracker emits it: look again until the newest change
        // is in the table (a few times at most).
        if (HistoryBehind() && _historyRetries++ < 20) _ = RefreshLaterAsync(_stop.Token);
        else if (!HistoryBehind()) _historyRetries = 0;
    }

    private async Task WatchAsync(PresenceFeedSubscription feed, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            while (await feed.WaitToReadAsync(cancellationToken))
            {
                var relevant = false;
                if (feed.ResyncRequired)
                {
                    feed.Resync();
                    relevant = true;
                }
                while (feed.TryRead(out var change))
                {
                    if (change.User == _user) relevant = true;
                }
                if (relevant) _throttler?.Request();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "The user page stopped following presence changes");
        }
    }

    private bool HistoryBehind() =>
        _presence is not null && To > Time.GetUtcNow() && (_newestShown is null || _newestShown < _presence.LastChange.AddMilliseconds(-1));

    private async Task RefreshLaterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(RefreshInterval, Time, cancellationToken);
            _throttler?.Request();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task LoadAsync()
    {
        if (_user is not { } user) return;
        _presence = Tracker.Get(user);
        var to = To;
        var timeline = await History.TimelineAsync(user, From, to);
        var now = Time.GetUtcNow();
        _chart = Timeline.Chart(timeline, to < now ? to : now);
        _lastSeen = _presence is null || _presence.Overall == PresenceState.Unavailable ? await History.LastOverallChangeAsync(user) : null;
        _unknown = _presence is null && timeline.Count == 0 && !await History.AnyAsync(user);
    }

    private void OnHistoryLoaded(HistoryPage page) =>
        _newestShown = page.Entries.Count > 0 ? page.Entries[0].At : null;

    private async Task SetRangeAsync(DateRange range)
    {
        _range = range;
        await LoadAsync();
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
