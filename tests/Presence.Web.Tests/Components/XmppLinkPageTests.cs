using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Presence.Web.Components.Pages.Admin;
using Presence.Xmpp.Component;

namespace Presence.Web.Tests.Components;

/// <summary>The XMPP link page follows the injected <see cref="IXmppLinkStatus"/> when the component is enabled.</summary>
public sealed class XmppLinkPageTests : AdminPageContext
{
    private readonly XmppLinkMonitor _monitor;
    private readonly XmppOptions _options;

    public XmppLinkPageTests() : this(new XmppLinkMonitor(), new XmppOptions())
    {
    }

    private XmppLinkPageTests(XmppLinkMonitor monitor, XmppOptions options) : base(s =>
    {
        s.AddSingleton<IXmppLinkStatus>(monitor);
        s.AddSingleton(Options.Create(options));
        s.AddSingleton<Presence.Xmpp.Hosting.IComponentLeadership>(new Presence.Xmpp.Hosting.SingleNodeLeadership("node-a"));
    })
    {
        _monitor = monitor;
        _options = options;
    }

    [Fact]
    public void ADisabledComponentShowsANoticeInsteadOfTheLink()
    {
        var page = Ctx.Render<XmppLink>();

        Assert.NotNull(page.Find("[data-xmpp-link-page='disabled']"));
    }

    [Fact]
    public void AnEnabledComponentShowsTheLinksState()
    {
        _options.Enabled = true;

        var page = Ctx.Render<XmppLink>();

        var state = _monitor.Current.State.ToString().ToLowerInvariant();
        Assert.NotNull(page.Find($"[data-xmpp-link-page='{state}']"));
    }
}
