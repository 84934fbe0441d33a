using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Presence.Xmpp.Component;

namespace Presence.Web.Components.Pages.Admin;

/// <summary>
/// The XMPP link page (<c>/admin/xmpp</c>, admins only): the component's link state, presence mode and counters, live
/// while the page is interactive; a notice when the component is disabled.
/// </summary>
public sealed partial class XmppLink : ComponentBase, IDisposable
{
    private IXmppLinkStatus? _status;
    private XmppLinkSnapshot? _link;
    private string? _node;

    /// <summary>The link's observable state (always registered by the host, see <c>AddXmppComponent</c>).</summary>
    [Inject] public required IXmppLinkStatus LinkStatus { get; init; }

    /// <summary>Whether the component runs at all.</summary>
    [Inject] public required IOptions<XmppOptions> XmppOptions { get; init; }

    /// <summary>This node's part in holding the component (always registered by the host, see <c>AddPresenceCluster</c>).</summary>
    [Inject] public required Presence.Xmpp.Hosting.IComponentLeadership Leadership { get; init; }

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        _status = XmppOptions.Value.Enabled ? LinkStatus : null;
        if (_status is null) return;
        _link = _status.Current;
        _node = Leadership.NodeName;
        if (RendererInfo.IsInteractive) _status.Changed += OnChanged;
    }

    private void OnChanged(XmppLinkSnapshot link) => _ = InvokeAsync(() =>
    {
        _link = link;
        StateHasChanged();
    });

    /// <inheritdoc />
    public void Dispose()
    {
        if (_status is not null) _status.Changed -= OnChanged;
    }
}
