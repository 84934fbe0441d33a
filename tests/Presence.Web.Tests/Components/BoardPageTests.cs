using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Components.Controls;
using Presence.Web.Components.Pages;
using Presence.Web.Tests.Support;

namespace Presence.Web.Tests.Components;

/// <summary>
/// The live board on a real tracker: filter chips, search, sort, the address's query, and changes arriving while it
/// is shown (renders throttled on a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/>).
/// </summary>
public sealed class BoardPageTests : DashboardContext
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(BoardToolbar.DebounceMilliseconds);

    public BoardPageTests() => Ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    private void Set(string user, PresenceState state, string message = "") =>
        Tracker.Apply(new ProtocolStatusUpdate(UserId.Parse(user), Protocols.Spreed, state, message));

    private BunitNavigationManager Navigation => Ctx.Services.GetRequiredService<BunitNavigationManager>();

    private IRenderedComponent<Board> OpenBoard(string address = "/")
    {
        Navigation.NavigateTo(address);
        return Ctx.Render<Board>();
    }

    /// <summary>Types into the search box (the handler has run when this completes; the debounce timer is then running).</summary>
    private static Task TypeAsync(IRenderedComponent<Board> board, string text) =>
        board.Find(".board-search input").InputAsync(new ChangeEventArgs { Value = text });

    private static string[] Users(IRenderedComponent<Board> board) =>
        [.. board.FindAll("tr.board-row").Select(r => r.GetAttribute("data-user")!)];

    private void SeedFour()
    {
        Set("dave@example.com", PresenceState.Unavailable);
        Set("alice@example.com", PresenceState.Available, "at my desk");
        Set("carol@example.com", PresenceState.Away, "lunch");
        Set("bob@example.com", PresenceState.Busy, "weekly call");
    }

    [Fact]
    public void TheBoardOpensWithEveryKnownUserSortedByUser()
    {
        SeedFour();

        var board = OpenBoard();

        Assert.Equal(["alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com"], Users(board));
        Assert.Equal("4 users", board.Find(".board-matching").TextContent.Trim());
    }

    [Fact]
    public async Task ClickingACountChipShowsOnlyThatStateAndClickingItAgainShowsEveryone()
    {
        SeedFour();
        var board = OpenBoard();

        await board.Find("[data-count='busy']").ClickAsync(new MouseEventArgs());
        board.WaitForAssertion(() => Assert.Equal(["bob@example.com"], Users(board)));
        Assert.Equal("1 of 4 users", board.Find(".board-matching").TextContent.Trim());

        await board.Find("[data-count='busy']").ClickAsync(new MouseEventArgs());
        board.WaitForAssertion(() => Assert.Equal(4, Users(board).Length));
    }

    [Fact]
    public async Task TheStaleChipShowsOnlyUsersWhoseStatusMayBeStale()
    {
        SeedFour();
        Tracker.Apply(new AnnotationUpdate(UserId.Parse("carol@example.com"), Protocols.Spreed, null,
            new StateAnnotation(AnnotationKind.ConnectionPaused, "pubpresence.example.com", "no refresh", Time.GetUtcNow()), ChangeCause.Expiry));
        var board = OpenBoard();

        await board.Find("[data-count='stale']").ClickAsync(new MouseEventArgs());

        board.WaitForAssertion(() => Assert.Equal(["carol@example.com"], Users(board)));
        Assert.Contains("connection paused", board.Find("tr.board-row .annotation").TextContent);
    }

    [Fact]
    public async Task SearchFindsUsersByNameAndByMessage()
    {
        SeedFour();
        var board = OpenBoard();

        await TypeAsync(board, "LUNCH");
        Time.Advance(Debounce);
        board.WaitForAssertion(() => Assert.Equal(["carol@example.com"], Users(board)));

        await TypeAsync(board, "bob@");
        Time.Advance(Debounce);
        board.WaitForAssertion(() => Assert.Equal(["bob@example.com"], Users(board)));
    }

    [Fact]
    public async Task SearchAppliesOncePausedTypingAndNotOnEveryKeystroke()
    {
        SeedFour();
        var board = OpenBoard();

        await TypeAsync(board, "alice");
        Time.Advance(Debounce - TimeSpan.FromMilliseconds(1));
        Assert.Equal(4, Users(board).Length);

        Time.Advance(TimeSpan.FromMilliseconds(1));
        board.WaitForAssertion(() => Assert.Equal(["alice@example.com"], Users(board)));
    }

    [Fact]
    public async Task ASearchThatMatchesNobodySaysSo()
    {
        SeedFour();
        var board = OpenBoard();

        await TypeAsync(board, "nobody-here");
        Time.Advance(Debounce);

        board.WaitForAssertion(() => Assert.Empty(Users(board)));
        Assert.Contains("No user matches", board.Find("tr.empty-row").TextContent);
    }

    [Fact]
    public async Task TheStateHeaderSortsByStateAndASecondClickReversesIt()
    {
        SeedFour();
        var board = OpenBoard();

        await board.Find("th[data-sort='state'] button").ClickAsync(new MouseEventArgs());
        Assert.Equal(["alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com"], Users(board));
        Assert.Equal("ascending", board.Find("th[data-sort='state']").GetAttribute("aria-sort"));

        await board.Find("th[data-sort='state'] button").ClickAsync(new MouseEventArgs());
        Assert.Equal(["dave@example.com", "carol@example.com", "bob@example.com", "alice@example.com"], Users(board));
        Assert.Equal("descending", board.Find("th[data-sort='state']").GetAttribute("aria-sort"));
    }

    [Fact]
    public async Task TheLastChangeHeaderShowsTheNewestChangeFirst()
    {
        Set("alice@example.com", PresenceState.Available);
        Time.Advance(TimeSpan.FromMinutes(1));
        Set("bob@example.com", PresenceState.Busy);
        Time.Advance(TimeSpan.FromMinutes(1));
        Set("carol@example.com", PresenceState.Away);
        var board = OpenBoard();

        await board.Find("th[data-sort='lastchange'] button").ClickAsync(new MouseEventArgs());

        Assert.Equal(["carol@example.com", "bob@example.com", "alice@example.com"], Users(board));
    }

    [Fact]
    public void TheAddressCanOpenTheBoardFilteredSearchedAndSorted()
    {
        SeedFour();
        Set("anne@example.com", PresenceState.Busy, "call");

        var board = OpenBoard("/?state=busy&sort=user&dir=desc");

        Assert.Equal(["bob@example.com", "anne@example.com"], Users(board));
        Assert.Equal("true", board.Find("[data-count='busy']").GetAttribute("aria-pressed"));
    }

    [Theory]
    [InlineData("/?state=7&sort=12&dir=sideways")]
    [InlineData("/?state=busy,away&sort=-1")]
    [InlineData("/?state=nobody&sort=user%00")]
    public void AnAddressWithParametersNotUnderstoodOpensTheDefaultBoard(string address)
    {
        SeedFour();

        var board = OpenBoard(address);

        Assert.Equal(["alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com"], Users(board));
        Assert.Equal("true", board.Find("[data-count='total']").GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task AFilterChipGoesIntoTheAddressReplacingTheHistoryEntryAndLeavesItWhenClickedAgain()
    {
        SeedFour();
        var board = OpenBoard();

        await board.Find("[data-count='busy']").ClickAsync(new MouseEventArgs());

        Assert.Equal("http://localhost/?state=busy", Navigation.Uri);
        Assert.True(Navigation.History.First().Options.ReplaceHistoryEntry);

        await board.Find("[data-count='busy']").ClickAsync(new MouseEventArgs());

        Assert.Equal("http://localhost/", Navigation.Uri);
    }

    [Fact]
    public async Task ASortHeaderPutsTheSortAndItsDirectionIntoTheAddressAndKeepsTheFilter()
    {
        SeedFour();
        var board = OpenBoard("/?state=busy");

        await board.Find("th[data-sort='lastchange'] button").ClickAsync(new MouseEventArgs());
        Assert.Equal("http://localhost/?state=busy&sort=lastchange&dir=desc", Navigation.Uri);

        await board.Find("th[data-sort='lastchange'] button").ClickAsync(new MouseEventArgs());
        Assert.Equal("http://localhost/?state=busy&sort=lastchange", Navigation.Uri);

        await board.Find("th[data-sort='user'] button").ClickAsync(new MouseEventArgs());
        Assert.Equal("http://localhost/?state=busy", Navigation.Uri);
    }

    [Fact]
    public async Task TheSearchGoesIntoTheAddressOnceTypingPausesAndNotOnEveryKeystroke()
    {
        SeedFour();
        var board = OpenBoard();

        await TypeAsync(board, "lunch break");
        Time.Advance(Debounce - TimeSpan.FromMilliseconds(1));
        Assert.Equal("http://localhost/", Navigation.Uri);

        Time.Advance(TimeSpan.FromMilliseconds(1));
        board.WaitForAssertion(() => Assert.Equal("http://localhost/?q=lunch%20break", Navigation.Uri));

        await TypeAsync(board, "");
        Time.Advance(Debounce);
        board.WaitForAssertion(() => Assert.Equal("http://localhost/", Navigation.Uri));
    }

    [Fact]
    public async Task AnAddressThatSaysWhatTheBoardShowsNeitherRendersItAgainNorResubscribes()
    {
        SeedFour();
        var board = OpenBoard();
        var renders = board.Instance.RenderCount;

        await board.Find("[data-count='away']").ClickAsync(new MouseEventArgs());
        Assert.Equal("http://localhost/?state=away", Navigation.Uri);
        Assert.Equal(renders + 1, board.Instance.RenderCount);

        // In a browser the replaced address comes back later as a location change; this one differs in spelling
        // only, so the page's parameters change while the query they give is the one shown.
        Navigation.NavigateTo("/?state=Away");

        Assert.Equal(renders + 1, board.Instance.RenderCount);
        Assert.Equal(["carol@example.com"], Users(board));
        Assert.Single(Tracker.FeedStatistics(), f => f.Name == "board");
    }

    [Fact]
    public void AnAddressFromOutsideTheBoardAppliesItsQueryToTheOpenBoard()
    {
        SeedFour();
        var board = OpenBoard("/?state=busy");

        Navigation.NavigateTo("/?sort=state&dir=desc");

        board.WaitForAssertion(() => Assert.Equal(["dave@example.com", "carol@example.com", "bob@example.com", "alice@example.com"], Users(board)));
        Assert.Equal("false", board.Find("[data-count='busy']").GetAttribute("aria-pressed"));
        Assert.Single(Tracker.FeedStatistics(), f => f.Name == "board");
    }

    [Fact]
    public void AChangeAppearsInItsRowWhileTheBoardIsOpen()
    {
        SeedFour();
        var board = OpenBoard();

        Set("alice@example.com", PresenceState.Busy, "presenting");

        board.WaitForAssertion(() =>
        {
            var row = board.Find("tr.board-row[data-user='alice@example.com']");
            Assert.Equal("busy", row.GetAttribute("data-state"));
            Assert.Equal("presenting", row.QuerySelector(".protocol-message")!.TextContent);
        });
        Assert.Equal("2", board.Find("[data-count='busy'] .count-value").TextContent);
    }

    [Fact]
    public void ANewUserAppearsAndIsCounted()
    {
        SeedFour();
        var board = OpenBoard();

        Set("erin@example.com", PresenceState.Away, "school run");

        board.WaitForAssertion(() => Assert.Contains("erin@example.com", Users(board)));
        Assert.Equal("5", board.Find("[data-count='total'] .count-value").TextContent);
        Assert.Equal("2", board.Find("[data-count='away'] .count-value").TextContent);
    }

    [Fact]
    public void ChangesRightAfterARenderWaitForTheRenderIntervalAndThenShowTheLatestState()
    {
        SeedFour();
        var board = OpenBoard();
        Set("alice@example.com", PresenceState.Busy);
        board.WaitForAssertion(() => Assert.Equal("busy", board.Find("tr.board-row[data-user='alice@example.com']").GetAttribute("data-state")));
        var rendered = board.Instance.RenderedVersion;

        Set("alice@example.com", PresenceState.Away);
        Set("alice@example.com", PresenceState.Available, "back");
        board.WaitForState(() => board.Instance.ModelVersion > rendered);

        Assert.Equal("busy", board.Find("tr.board-row[data-user='alice@example.com']").GetAttribute("data-state"));
        Time.Advance(Board.RenderInterval);
        board.WaitForAssertion(() => Assert.Equal("available", board.Find("tr.board-row[data-user='alice@example.com']").GetAttribute("data-state")));
    }

    [Fact]
    public void AChangeReRendersOnlyTheRowOfThatUser()
    {
        SeedFour();
        var board = OpenBoard();
        var rows = board.FindComponents<BoardRowView>().ToDictionary(r => r.Instance.Row.User);
        var before = rows.ToDictionary(r => r.Key, r => r.Value.Instance.RenderCount);

        Set("carol@example.com", PresenceState.Busy);

        board.WaitForAssertion(() => Assert.Equal("busy", board.Find("tr.board-row[data-user='carol@example.com']").GetAttribute("data-state")));
        Assert.Equal(before["carol@example.com"] + 1, rows["carol@example.com"].Instance.RenderCount);
        Assert.Equal(before["alice@example.com"], rows["alice@example.com"].Instance.RenderCount);
        Assert.Equal(before["bob@example.com"], rows["bob@example.com"].Instance.RenderCount);
        Assert.Equal(before["dave@example.com"], rows["dave@example.com"].Instance.RenderCount);
    }

    [Fact]
    public async Task ClosingTheBoardStopsFollowingChanges()
    {
        SeedFour();
        var board = OpenBoard();
        Assert.Contains(Tracker.FeedStatistics(), f => f.Name == "board");

        await board.Instance.DisposeAsync();

        Assert.DoesNotContain(Tracker.FeedStatistics(), f => f.Name == "board");
    }
}
