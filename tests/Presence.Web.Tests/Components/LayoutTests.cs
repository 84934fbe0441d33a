using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Presence.Domain.Model;
using Presence.Web.Authentication;
using Presence.Web.Components.Controls;
using Presence.Web.Components.Layout;
using Presence.Web.Model;
using Presence.Web.Tests.Support;
using Presence.Xmpp.Component;
using static Presence.Web.Tests.Support.Presences;

namespace Presence.Web.Tests.Components;

/// <summary>The frame around every page (theme, XMPP link chip, navigation) and the small controls it uses.</summary>
public sealed class LayoutTests : DashboardContext
{
    private IRenderedComponent<MainLayout> RenderLayout()
    {
        Ctx.AddAuthorization().SetAuthorized("admin").SetRoles(DashboardRoles.Admin);
        Ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return Ctx.Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id='page'>the page</p>"))));
    }

    [Fact]
    public void TheThemeChosenEarlierInThisBrowserIsUsedAgain()
    {
        Ctx.JSInterop.Setup<string?>("localStorage.getItem", ThemePreference.Key).SetResult("dark");

        var layout = RenderLayout();

        layout.WaitForAssertion(() => Assert.Equal("dark", layout.Find(".mud-layout").GetAttribute("data-theme")));
        Assert.Equal("Switch to the light theme", layout.Find(".theme-toggle").GetAttribute("aria-label"));
    }

    [Fact]
    public void WithoutAStoredChoiceTheThemeFollowsTheBrowser()
    {
        Ctx.JSInterop.Setup<string?>("localStorage.getItem", ThemePreference.Key).SetResult(null);

        var layout = RenderLayout();

        Assert.Equal("light", layout.Find(".mud-layout").GetAttribute("data-theme"));
        Assert.Equal("the page", layout.Find("#page").TextContent);
    }

    [Fact]
    public async Task TheToggleSwitchesTheThemeAndRemembersTheChoice()
    {
        Ctx.JSInterop.Setup<string?>("localStorage.getItem", ThemePreference.Key).SetResult("light");
        var layout = RenderLayout();

        await layout.Find(".theme-toggle").ClickAsync(new MouseEventArgs());

        layout.WaitForAssertion(() => Assert.Equal("dark", layout.Find(".mud-layout").GetAttribute("data-theme")));
        var stored = Assert.Single(Ctx.JSInterop.Invocations, i => i.Identifier == "localStorage.setItem");
        Assert.Equal([ThemePreference.Key, "dark"], stored.Arguments);
    }

    [Fact]
    public void AnAdminSeesTheAdminPagesInTheNavigation()
    {
        var layout = RenderLayout();

        var links = layout.FindAll("nav a, .mud-navmenu a").Select(a => a.TextContent.Trim()).ToArray();
        Assert.Contains("Board", links);
        Assert.Contains("API clients", links);
        Assert.Contains("XMPP link", links);
        Assert.Contains("Audit log", links);
        Assert.Equal("admin", layout.Find(".signed-in-as").TextContent.Trim());
    }

    [Fact]
    public void TheAppBarSaysXmppDisabledWithoutTheComponent()
    {
        var layout = RenderLayout();

        Assert.Equal("XMPP disabled", layout.Find("[data-xmpp-link]").TextContent.Trim());
    }

    [Theory]
    [InlineData(XmppLinkState.Online, "XMPP online", "success")]
    [InlineData(XmppLinkState.Backoff, "XMPP waiting to reconnect", "error")]
    [InlineData(XmppLinkState.Connecting, "XMPP connecting", "warning")]
    public void TheXmppLinkChipSaysTheStateInWordsWithAnIcon(XmppLinkState state, string words, string colour)
    {
        var link = new XmppLinkSnapshot(state, T0, 3, state == XmppLinkState.Backoff ? "connection refused" : null, 10, 12, 0, false);

        var chip = Ctx.Render<XmppLinkBadge>(p => p.Add(b => b.Link, link));

        var element = chip.Find("[data-xmpp-link]");
        Assert.Equal(words, element.TextContent.Trim());
        Assert.Contains("mud-chip-color-" + colour, element.ClassName);
        Assert.NotNull(element.QuerySelector("svg"));
        Assert.StartsWith("Since 2026-11-21 12:00:00 UTC", element.GetAttribute("title"));
    }

    [Fact]
    public void TheXmppLinkChipNamesTheLastError()
    {
        var link = new XmppLinkSnapshot(XmppLinkState.Backoff, T0, 3, "connection refused", 10, 12, 0, false);

        var chip = Ctx.Render<XmppLinkBadge>(p => p.Add(b => b.Link, link));

        Assert.Contains("last error: connection refused", chip.Find("[data-xmpp-link]").GetAttribute("title"));
    }

    [Fact]
    public void AStaleStateSaysStaleInWords()
    {
        var badge = Ctx.Render<StateBadge>(p => p.Add(b => b.State, PresenceState.Busy).Add(b => b.Stale, true));

        Assert.Equal("Busy (stale)", badge.Find(".state-badge").TextContent.Trim());
    }
}
