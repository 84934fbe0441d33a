using Microsoft.Extensions.Time.Testing;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Model;
using Presence.Web.Tests.Support;
using static Presence.Web.Tests.Support.Presences;

namespace Presence.Web.Tests.Model;

public sealed class BoardViewModelTests
{
    private static BoardViewModel Loaded(params UserPresence[] users)
    {
        var model = new BoardViewModel();
        model.Load(users);
        return model;
    }

    private static string[] Users(BoardViewModel model, int pageSize = 100) =>
        [.. model.GetPage(0, pageSize).Rows.Select(r => r.User)];

    [Fact]
    public void CountsEveryStateAndTheStaleUsers()
    {
        var model = Loaded(
            Spreed("a@example.com", PresenceState.Available),
            Spreed("b@example.com", PresenceState.Busy),
            Spreed("c@example.com", PresenceState.Busy),
            XmppUser("d@example.com", XmppShow.Away, annotation: LinkLost(T0)),
            Unavailable("e@example.com"));

        Assert.Equal(new BoardCounts(Total: 5, Available: 1, Busy: 2, Away: 1, Unavailable: 1, Stale: 1), model.Counts);
    }

    [Fact]
    public void ACountMovesWhenAUserChangesState()
    {
        var model = Loaded(Spreed("a@example.com", PresenceState.Available));

        model.Apply(Spreed("a@example.com", PresenceState.Busy));

        Assert.Equal(new BoardCounts(1, 0, 1, 0, 0, 0), model.Counts);
    }

    [Fact]
    public void FilterByStateKeepsOnlyThatState()
    {
        var model = Loaded(
            Spreed("a@example.com", PresenceState.Available),
            Spreed("b@example.com", PresenceState.Busy),
            XmppUser("c@example.com", XmppShow.Dnd));

        model.Query = new BoardQuery(Filter: BoardFilter.Busy);

        Assert.Equal(["b@example.com", "c@example.com"], Users(model));
    }

    [Fact]
    public void StaleFilterKeepsOnlyAnnotatedUsers()
    {
        var model = Loaded(
            XmppUser("a@example.com", XmppShow.Online),
            XmppUser("b@example.com", XmppShow.Online, annotation: LinkLost(T0)));

        model.Query = new BoardQuery(Filter: BoardFilter.Stale);

        Assert.Equal(["b@example.com"], Users(model));
    }

    [Fact]
    public void SearchMatchesUserIdAndMessageIgnoringCase()
    {
        var model = Loaded(
            Spreed("alice@example.com", PresenceState.Busy, "In a meeting"),
            Spreed("bob@example.com", PresenceState.Available, "at my desk"),
            Spreed("carol@example.com", PresenceState.Away, "MEETING prep"));

        model.Query = new BoardQuery(Search: "meeting");
        Assert.Equal(["alice@example.com", "carol@example.com"], Users(model));

        model.Query = new BoardQuery(Search: "  BOB ");
        Assert.Equal(["bob@example.com"], Users(model));
    }

    [Fact]
    public void SearchAndFilterCombine()
    {
        var model = Loaded(
            Spreed("alice@example.com", PresenceState.Busy, "meeting"),
            Spreed("bob@example.com", PresenceState.Available, "meeting soon"));

        model.Query = new BoardQuery(Search: "meeting", Filter: BoardFilter.Available);

        Assert.Equal(["bob@example.com"], Users(model));
    }

    [Fact]
    public void SortByStateOrdersAvailableBusyAwayUnavailableThenByUser()
    {
        var model = Loaded(
            Unavailable("a@example.com"),
            Spreed("b@example.com", PresenceState.Away),
            Spreed("c@example.com", PresenceState.Busy),
            Spreed("d@example.com", PresenceState.Available),
            Spreed("e@example.com", PresenceState.Busy));

        model.Query = new BoardQuery(Sort: BoardSort.State);

        Assert.Equal(["d@example.com", "c@example.com", "e@example.com", "b@example.com", "a@example.com"], Users(model));
    }

    [Fact]
    public void SortByLastChangeDescendingPutsTheNewestFirst()
    {
        var model = Loaded(
            Spreed("a@example.com", PresenceState.Available, at: T0.AddMinutes(1)),
            Spreed("b@example.com", PresenceState.Available, at: T0.AddMinutes(3)),
            Spreed("c@example.com", PresenceState.Available, at: T0.AddMinutes(2)));

        model.Query = new BoardQuery(Sort: BoardSort.LastChange, Descending: true);

        Assert.Equal(["b@example.com", "c@example.com", "a@example.com"], Users(model));
    }

    [Fact]
    public void SortByUserDescendingReversesTheOrder()
    {
        var model = Loaded(Spreed("a@example.com", PresenceState.Available), Spreed("b@example.com", PresenceState.Available));

        model.Query = new BoardQuery(Sort: BoardSort.User, Descending: true);

        Assert.Equal(["b@example.com", "a@example.com"], Users(model));
    }

    [Fact]
    public void AChangedUserMovesToItsNewPlaceInTheSortedView()
    {
        var model = Loaded(
            Spreed("a@example.com", PresenceState.Available, at: T0),
            Spreed("b@example.com", PresenceState.Available, at: T0.AddMinutes(1)));
        model.Query = new BoardQuery(Sort: BoardSort.LastChange, Descending: true);
        Assert.Equal("b@example.com", Users(model)[0]);

        model.Apply(Spreed("a@example.com", PresenceState.Busy, at: T0.AddMinutes(2)));

        Assert.Equal(["a@example.com", "b@example.com"], Users(model));
    }

    [Fact]
    public void PagesSplitTheMatchingRowsAndAPastTheEndIndexGivesTheLastPage()
    {
        var model = Loaded([.. Enumerable.Range(0, 25).Select(i => Spreed($"u{i:00}@example.com", PresenceState.Available))]);

        var second = model.GetPage(1, 10);
        var past = model.GetPage(7, 10);

        Assert.Equal(25, second.Matching);
        Assert.Equal(3, second.PageCount);
        Assert.Equal("u10@example.com", second.Rows[0].User);
        Assert.Equal(2, past.PageIndex);
        Assert.Equal(["u20@example.com", "u21@example.com", "u22@example.com", "u23@example.com", "u24@example.com"], past.Rows.Select(r => r.User));
    }

    [Fact]
    public void FeedChangesAddNewUsersAndReplaceKnownOnes()
    {
        var tracker = new PresenceTracker(new FakeTimeProvider());
        var (feed, snapshot) = tracker.Subscribe("test");
        var model = new BoardViewModel();
        model.Load(snapshot.Users);

        tracker.Apply(new ProtocolStatusUpdate(UserId.Parse("a@example.com"), Protocols.Spreed, PresenceState.Available, "hi"));
        tracker.Apply(new ProtocolStatusUpdate(UserId.Parse("a@example.com"), Protocols.Spreed, PresenceState.Busy, "call"));
        var changes = new List<PresenceChange>();
        while (feed.TryRead(out var c)) changes.Add(c);
        model.Apply(changes);

        var row = Assert.Single(model.GetPage(0, 10).Rows);
        Assert.Equal(PresenceState.Busy, row.Overall);
        Assert.Equal(new BoardCounts(1, 0, 1, 0, 0, 0), model.Counts);
    }

    [Fact]
    public void EveryLoadAndChangeBumpsTheVersionButAQueryDoesNot()
    {
        var model = new BoardViewModel();
        var v0 = model.Version;
        model.Load([Spreed("a@example.com", PresenceState.Available)]);
        var v1 = model.Version;
        model.Query = new BoardQuery(Search: "a");
        Assert.Equal(v1, model.Version);
        model.Apply(Spreed("a@example.com", PresenceState.Away));
        Assert.True(v1 > v0);
        Assert.True(model.Version > v1);
    }

    [Fact]
    public void TenThousandUsersFilterAndSortCorrectly()
    {
        var states = new[] { PresenceState.Available, PresenceState.Busy, PresenceState.Away, PresenceState.Unavailable };
        var model = Loaded([.. Enumerable.Range(0, 10_000).Select(i => Spreed($"user{i:00000}@example.com", states[i % 4], $"m{i}"))]);

        model.Query = new BoardQuery(Filter: BoardFilter.Away, Sort: BoardSort.User, Descending: true);
        var page = model.GetPage(0, 50);

        Assert.Equal(2_500, page.Matching);
        Assert.Equal("user09998@example.com", page.Rows[0].User);
        Assert.All(page.Rows, r => Assert.Equal(PresenceState.Away, r.Overall));
    }

    [Fact]
    public void APageSizeOutOfRangeIsRefused()
    {
        var model = new BoardViewModel();
        Assert.Throws<ArgumentOutOfRangeException>(() => model.GetPage(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.GetPage(0, 1001));
    }

    [Fact]
    public void AnAnnotationReadsStaleSinceWithTheReason()
    {
        var text = DisplayText.Annotation(LinkLost(T0));

        Assert.Equal("stale since 2026-11-21 12:00:00 UTC (server unavailable: link to the XMPP server lost)", text);
    }
}
