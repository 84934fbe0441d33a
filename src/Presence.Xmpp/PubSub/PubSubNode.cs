using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.PubSub;

/// <summary>
/// The pubpresence node on the pubsub service (XEP-0060): created or reused, configured persistent with room for
/// every user and retract notifications, purged on every (re)connect (docs/ARCHITECTURE.md §7), and the publish/retract payloads.
/// </summary>
/// <param name="Service">The pubsub service JID, e.g. <c>pubsub.example.com</c>.</param>
/// <param name="Node">The node name, e.g. <c>pubpresence</c>.</param>
/// <param name="MaxItems">The <c>pubsub#max_items</c> value: a number or <c>max</c>.</param>
public sealed record PubSubNode(string Service, string Node, string MaxItems)
{
    /// <summary>
    /// Ensures the node exists (XEP-0060 §8.1 create with configuration; a <c>conflict</c> means it exists) and sets
    /// its configuration (§8.2.4), then purges it (§8.5).
    /// </summary>
    /// <exception cref="XmppIqErrorException">The service refused (e.g. <c>forbidden</c> when the component is not a server admin).</exception>
    /// <exception cref="XmppIqTimeoutException">The service did not answer.</exception>
    public async Task EnsureConfiguredAndPurgedAsync(IIqRequester connection, TimeSpan timeout, ILogger logger)
    {
        var create = await connection.RequestAsync(IqType.Set, Service,
            new XElement(Namespaces.PubSub + "pubsub", new XElement(Namespaces.PubSub + "create", new XAttribute("node", Node)),
                new XElement(Namespaces.PubSub + "configure", ConfigForm())), timeout).ConfigureAwait(false);
        if (create.Type == IqType.Error && create.Error?.Condition != "conflict")
            throw new XmppIqErrorException(create.Error!, Service);
        logger.LogInformation(create.Type == IqType.Result ? "Created pubsub node {Node} on {Service}" : "Reusing pubsub node {Node} on {Service}", Node, Service);
        await connection.RequestResultAsync(IqType.Set, Service,
            new XElement(Namespaces.PubSubOwner + "pubsub", new XElement(Namespaces.PubSubOwner + "configure", new XAttribute("node", Node), ConfigForm())), timeout).ConfigureAwait(false);
        await connection.RequestResultAsync(IqType.Set, Service,
            new XElement(Namespaces.PubSubOwner + "pubsub", new XElement(Namespaces.PubSubOwner + "purge", new XAttribute("node", Node))), timeout).ConfigureAwait(false);
        logger.LogInformation("Purged pubsub node {Node} on {Service}", Node, Service);
    }

    /// <summary>The node configuration form (XEP-0060 §16.4.4): persistent items, <see cref="MaxItems"/>, retract notifications, open access.</summary>
    public XElement ConfigForm() => new(Namespaces.DataForms + "x", new XAttribute("type", "submit"),
        Field("FORM_TYPE", Namespaces.PubSubNodeConfig, "hidden"),
        Field("pubsub#persist_items", "1"),
        Field("pubsub#max_items", MaxItems),
        Field("pubsub#notify_retract", "1"),
        Field("pubsub#access_model", "open"));

    /// <summary>The publish payload for one item (XEP-0060 §7.1.1).</summary>
    public XElement PublishPayload(UserItem item) =>
        new(Namespaces.PubSub + "pubsub", new XElement(Namespaces.PubSub + "publish", new XAttribute("node", Node), item.ToElement()));

    /// <summary>The retract payload with notification (XEP-0060 §7.2.1, <c>notify='true'</c>).</summary>
    public XElement RetractPayload(string itemId) =>
        new(Namespaces.PubSub + "pubsub", new XElement(Namespaces.PubSub + "retract", new XAttribute("node", Node), new XAttribute("notify", "true"),
            new XElement(Namespaces.PubSub + "item", new XAttribute("id", itemId))));

    private static XElement Field(string var, string value, string? type = null)
    {
        var f = new XElement(Namespaces.DataForms + "field", new XAttribute("var", var), new XElement(Namespaces.DataForms + "value", value));
        if (type is not null) f.SetAttributeValue("type", type);
        return f;
    }
}
