namespace Presence.Xmpp.Component;

/// <summary>
/// One protocol part of the component, after slixmpp's plugins and Smack's managers: a folder per XEP (<c>Disco/</c>
/// XEP-0030, <c>Ping/</c> XEP-0199, <c>PubSub/</c> XEP-0060, <c>Psa/</c> XEP-0310, <c>AdHoc/</c> XEP-0050/0133,
/// <c>Roster/</c> RFC 6121 subscriptions, <c>Privilege/</c> XEP-0356) registers what it handles with the
/// <see cref="ModuleRegistry"/>.
/// </summary>
public interface IComponentModule
{
    /// <summary>Registers the module's stanza handlers, disco features and connect/disconnect hooks (called once).</summary>
    void Register(ModuleRegistry registry);
}
