using Microsoft.AspNetCore.Components;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Model;

namespace Presence.Web.Components.Pages;

/// <summary>
/// A user's page (DESIGN §7): current per-protocol detail and resources, last seen, and the history as a timeline
/// chart and a paged table over a date range. Follows the change feed for this user and refreshes (throttled).
/// An invalid or unknown user id shows a page saying so.
/// </summary>
public sealed partial class UserPage : ComponentBase, IAsyncDisposable
{
    /// <summary>Minimum time between two refreshes caused by changes of this user.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stop = new();
    private PresenceFeedSubscription? _feed;
    private CallbackThrottler? _throttler;
    private Task? _watcher;
    private UserId? _user;
    private string? _invalid;
    private bool _unknown;
    private UserPresence? _presence;
    private DateTimeOffset? _lastSeen;
    private DateTime? _from;
    private DateTime? _to;
    private HistoryPage _history = new([], 0);
    private IReadOnlyList<(string Protocol, IReadOnlyList<TimelinePoint> Points)> _series = [];
    private int _historyPage;
    private int _historyPageSize = 25;
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
            _from ??= Time.GetUtcNow().UtcDateTime.AddDays(-7);
            _historyPage = 0;
            StartWatching(user);
        }
        await LoadAsync();
    }

    private void StartWatching(UserId user)
    {
        if (!RendererInfo.IsInteractive || _feed is not null) return;
        var (feed, _) = Tracker.Subscribe("user-page", 4_096);
        _feed = feed;
        _throttler = new CallbackThrottler(Time, RefreshInterval, () => InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
            // The history writer commits a change shortly after the tracker emits it: look again until the newest
            // change is in the table (a few times at most).
            if (HistoryBehind() && _historyRetries++ < 20) _ = RefreshLaterAsync(_stop.Token);
            else if (!HistoryBehind()) _historyRetries = 0;
        }), ex => Logger.LogWarning(ex, "Refreshing the user page failed"));
        _watcher = WatchAsync(feed, _stop.Token);
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
        _presence is not null && _to is null && _historyPage == 0 &&
        (_history.Entries.Count == 0 || _history.Entries[0].At < _presence.LastChange.AddMilliseconds(-1));

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
        var to = _to.HasValue ? new DateTimeOffset(DateTime.SpecifyKind(_to.Value, DateTimeKind.Utc)) : Time.GetUtcNow().AddSeconds(1);
        var from = new DateTimeOffset(DateTime.SpecifyKind(_from ?? DateTime.UnixEpoch, DateTimeKind.Utc));
        _history = await History.PageAsync(user, from, to, _historyPage * _historyPageSize, _historyPageSize);
        var timeline = await History.TimelineAsync(user, from, to);
        _series = Timeline.Series(timeline, _to.HasValue ? to : Time.GetUtcNow());
        _lastSeen = _presence is null || _presence.Overall == PresenceState.Unavailable ? await History.LastOverallChangeAsync(user) : null;
        _unknown = _presence is null && _history.Total == 0 && !await History.AnyAsync(user);
    }

    private async Task SetFromAsync(DateTime? from)
    {
        _from = from;
        _historyPage = 0;
        await LoadAsync();
    }

    private async Task SetToAsync(DateTime? to)
    {
        _to = to;
        _historyPage = 0;
        await LoadAsync();
    }

    private async Task SetHistoryPageAsync(int page)
    {
        _historyPage = page;
        await LoadAsync();
    }

    private async Task SetHistoryPageSizeAsync(int size)
    {
        _historyPageSize = Math.Clamp(size, 1, 500);
        _historyPage = 0;
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
