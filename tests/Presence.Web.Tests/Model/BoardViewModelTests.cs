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

    private static string[] Users(BoardViewModel model) => [.. model.Rows.Select(r => r.User)];

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
    public void TheRowsStayTheSameSnapshotUntilTheNextChange()
    {
        var model = Loaded([.. Enumerable.Range(0, 25).Select(i => Spreed($"u{i:00}@example.com", PresenceState.Available))]);

        var first = model.Rows;
        var again = model.Rows;
        model.Apply(Spreed("u03@example.com", PresenceState.Busy));
        var after = model.Rows;

        Assert.Same(first, again);
        Assert.NotSame(first, after);
        Assert.Equal(PresenceState.Available, first[3].Overall);
        Assert.Equal(PresenceState.Busy, after[3].Overall);
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

        var row = Assert.Single(model.Rows);
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
        var rows = model.Rows;

        Assert.Equal(2_500, rows.Count);
        Assert.Equal("user09998@example.com", rows[0].User);
        Assert.All(rows, r => Assert.Equal(PresenceState.Away, r.Overall));
    }

    [Fact]
    public void AnAnnotationReadsStaleSinceWithTheReason()
    {
        var text = DisplayText.Annotation(LinkLost(T0));

        Assert.Equal("stale since 2026-11-21 12:00:00 UTC (server unavailable: link to the XMPP server lost)", text);
    }
}
