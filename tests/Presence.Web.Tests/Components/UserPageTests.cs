using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Components.Pages;
using Presence.Web.Model;
using Presence.Web.Tests.Support;

namespace Presence.Web.Tests.Components;

/// <summary>A user's page on the real service's tracker and history (SQLite): detail, resources, history paging and range, problems.</summary>
public sealed class UserPageTests : DashboardContext, IClassFixture<AppFixture>
{
    private readonly AppFixture _app;

    public UserPageTests(AppFixture app)
    {
        _app = app;
        Time.SetUtcNow(DateTimeOffset.UtcNow); // history rows carry the service's real time
        Ctx.Services.AddSingleton(app.Tracker);
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<UserHistory>());
        Ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private IRenderedComponent<UserPage> Open(string user) => Ctx.Render<UserPage>(p => p.Add(u => u.User, user));

    private static string[] HistoryRows(IRenderedComponent<UserPage> page, string protocol) =>
        [.. page.FindAll($".history-table tr.history-row.protocol-{protocol}").Select(r => r.QuerySelector("td.message")!.TextContent)];

    [Fact]
    public async Task ThePageShowsTheOverallStateEachProtocolAndEachResourceWithIpAndHostname()
    {
        var user = UserId.Parse("detail@example.com");
        await _app.ApplyAsync(
            new ResourceAvailableUpdate(user, "laptop", XmppShow.Away, 5, "coffee"),
            new ResourceDetailsUpdate(user, "laptop", "192.0.2.7", "laptop.example.com"));

        var page = Open("detail@example.com");

        Assert.Equal("away", page.Find(".user-detail").GetAttribute("data-state"));
        Assert.Equal("Away", page.Find(".user-detail .overall .state-badge").TextContent.Trim());
        Assert.Equal("coffee", page.Find(".protocols-table tr[data-protocol='xmpp'] .message").TextContent);
        var resource = page.Find(".resources-table tr[data-resource='laptop']");
        Assert.Equal("5", resource.QuerySelector("td.num")!.TextContent);
        Assert.Equal("192.0.2.7", resource.QuerySelector("td.ip")!.TextContent);
        Assert.Equal("laptop.example.com", resource.QuerySelector("td.hostname")!.TextContent);
        Assert.Equal("online now", page.Find("[data-last-seen]").TextContent.Trim());
    }

    [Fact]
    public void AnUnknownUserSaysTheUserIsNotKnown()
    {
        var page = Open("nobody@example.com");

        Assert.Contains("No user nobody@example.com is known", page.Find("[data-user-problem='unknown']").TextContent);
        Assert.Empty(page.FindAll(".history-table"));
    }

    [Fact]
    public void AnInvalidUserIdSaysWhatIsWrong()
    {
        var page = Open("no-at-sign");

        Assert.Contains("has no '@'", page.Find("[data-user-problem='invalid']").TextContent);
    }

    [Fact]
    public async Task TheHistoryListsTheChangesNewestFirst()
    {
        await _app.SpreedAsync("history@example.com", PresenceState.Available, "morning");
        await _app.SpreedAsync("history@example.com", PresenceState.Busy, "standup");
        await _app.SpreedAsync("history@example.com", PresenceState.Away, "lunch");

        var page = Open("history@example.com");

        page.WaitForAssertion(() => Assert.Equal(["lunch", "standup", "morning"], HistoryRows(page, "spreed")));
        Assert.Contains("Away", page.Find(".history-table tr.history-row.protocol-spreed .state-badge").TextContent);
    }

    [Fact]
    public async Task TheHistoryIsPagedAndTheNextPageShowsTheOlderChanges()
    {
        for (var i = 0; i < 15; i++)
        {
            await _app.SpreedAsync("paged@example.com", i % 2 == 0 ? PresenceState.Busy : PresenceState.Available, $"m{i:00}");
        }
        var page = Open("paged@example.com");
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll(".history-table tr.history-row").Count));
        Assert.Equal("m14", HistoryRows(page, "spreed")[0]);
        Assert.Equal("1–25 of 30 changes", page.Find(".mud-table-page-number-information").TextContent);

        await page.FindComponent<MudTablePager>().Find("button[aria-label='Next page']").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll(".history-table tr.history-row").Count));
        Assert.Equal(["m02", "m01", "m00"], HistoryRows(page, "spreed"));
    }

    [Fact]
    public async Task ADateRangeWithoutChangesSaysSo()
    {
        await _app.SpreedAsync("range@example.com", PresenceState.Busy, "today");
        var page = Open("range@example.com");
        page.WaitForAssertion(() => Assert.Equal(["today"], HistoryRows(page, "spreed")));
        var lastYear = Time.GetUtcNow().UtcDateTime.Date.AddYears(-1);

        var picker = page.FindComponent<MudDateRangePicker>();
        await page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(lastYear, lastYear.AddDays(3))));

        page.WaitForAssertion(() => Assert.Contains("No changes in this date range", page.Find(".history-table").TextContent));
        Assert.Empty(page.FindAll(".timeline"));
    }

    [Fact]
    public async Task TheTimelineHasALineForTheOverallStateAndForEachProtocol()
    {
        await _app.SpreedAsync("timeline@example.com", PresenceState.Available, "in");
        await _app.SpreedAsync("timeline@example.com", PresenceState.Busy, "call");

        var page = Open("timeline@example.com");

        var legend = page.Find(".timeline").TextContent;
        Assert.Contains("overall", legend);
        Assert.Contains("spreed", legend);
        Assert.NotEmpty(page.FindAll(".timeline svg"));
    }

    [Fact]
    public async Task AnUnavailableUserShowsWhenTheyWereLastSeen()
    {
        await _app.SpreedAsync("gone@example.com", PresenceState.Available, "here");
        await _app.SpreedAsync("gone@example.com", PresenceState.Unavailable);

        var page = Open("gone@example.com");

        Assert.StartsWith("last seen 20", page.Find("[data-last-seen]").TextContent.Trim());
    }
}

/// <summary>
/// A user's page following a live change, on a real clock: the page reloads its history until the writer has committed
/// the change, retrying on the page's clock (on a fake clock nobody advances, the table kept the previous row).
/// </summary>
public sealed class UserPageLiveTests : DashboardContext, IClassFixture<AppFixture>
{
    private readonly AppFixture _app;

    public UserPageLiveTests(AppFixture app)
    {
        _app = app;
        Ctx.Services.AddSingleton(TimeProvider.System);
        Ctx.Services.AddSingleton(app.Tracker);
        Ctx.Services.AddSingleton(app.Services.GetRequiredService<UserHistory>());
        Ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public async Task AChangeOfTheUserShowsOnThePageWhileItIsOpen()
    {
        await _app.SpreedAsync("live@example.com", PresenceState.Available, "in");
        var page = Ctx.Render<UserPage>(p => p.Add(u => u.User, "live@example.com"));

        await _app.SpreedAsync("live@example.com", PresenceState.Busy, "presenting");

        page.WaitForAssertion(() => Assert.Equal("busy", page.Find(".user-detail").GetAttribute("data-state")));
        page.WaitForAssertion(() => Assert.Equal("presenting", page.FindAll(".history-table tr.history-row.protocol-spreed")[0].QuerySelector("td.message")!.TextContent));
    }
}
