using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Presence.Web.Components.Controls;
using Presence.Web.Components.Pages.Admin;
using Presence.Xmpp.Component;
using Presence.Xmpp.Hosting;

namespace Presence.Web.Tests.Components;

/// <summary>The admin XMPP link page names this node and whether it holds the component or waits on standby.</summary>
public sealed class XmppLinkStandbyPageTests() : AdminPageContext(s =>
{
    s.AddSingleton(Options.Create(new XmppOptions { Enabled = true, Secret = "s" }));
    s.AddSingleton<IXmppLinkStatus>(Link);
    s.AddSingleton<IComponentLeadership>(new SingleNodeLeadership("node-a"));
})
{
    private static readonly SettableLink Link = new();

    [Fact]
    public void TheNodeIsShownOnStandbyAndAsHolderOnceItHoldsTheComponent()
    {
        Link.Set(XmppLinkState.Standby);
        var page = Ctx.Render<XmppLink>();
        Assert.Equal("standby", page.Find("[data-fact='state']").TextContent.Trim());
        Assert.Equal("standby: node-a (another node holds the component)", page.Find("[data-fact='node']").TextContent.Trim());
        Assert.NotNull(page.Find("[data-xmpp-link-page='standby']"));

        Link.Set(XmppLinkState.Online);
        page.WaitForAssertion(() => Assert.Equal("holder: node-a", page.Find("[data-fact='node']").TextContent.Trim()));
    }

    [Fact]
    public void TheChipSaysStandbyInWords()
    {
        var chip = Ctx.Render<XmppLinkBadge>(p => p.Add(b => b.Link, new XmppLinkSnapshot(XmppLinkState.Standby, DateTimeOffset.UtcNow, 0, null, 0, 0, 0, false)));
        var element = chip.Find("[data-xmpp-link]");
        Assert.Equal("XMPP standby", element.TextContent.Trim());
        Assert.Contains("mud-chip-color-info", element.ClassName);
    }

    private sealed class SettableLink : IXmppLinkStatus
    {
        public XmppLinkSnapshot Current { get; private set; } = new(XmppLinkState.Disconnected, DateTimeOffset.UtcNow, 0, null, 0, 0, 0, false);

        public event Action<XmppLinkSnapshot>? Changed;

        public void Set(XmppLinkState state)
        {
            Current = Current with { State = state, Since = DateTimeOffset.UtcNow };
            Changed?.Invoke(Current);
        }
    }
}
