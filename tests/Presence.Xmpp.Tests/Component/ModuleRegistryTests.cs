using System.Xml.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Disco;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Tests.Support;

namespace Presence.Xmpp.Tests.Component;

/// <summary>The module registry: what each module registers is what the component answers and advertises (issue 10).</summary>
public sealed class ModuleRegistryTests
{
    private static readonly XNamespace Example = "urn:example:module";

    /// <summary>A module with one of everything.</summary>
    private sealed class ExampleModule : IComponentModule
    {
        public int Presences;
        public int Connects;
        public int Disconnects;

        public void Register(ModuleRegistry registry)
        {
            registry.Iq(IqType.Get, Example + "query", iq => iq.ResultFor(), Example.NamespaceName);
            registry.Presence((_, _) => Presences++);
            registry.Message(_ => true);
            registry.Connected((_, _) => { Connects++; return Task.CompletedTask; });
            registry.Disconnected(() => Disconnects++);
        }
    }

    private static IqStanza Get(XName payload) =>
        IqStanza.Request(IqType.Get, "alice@localhost/laptop", "pubpresence.localhost", "q1", new XElement(payload));

    private static IReadOnlyList<string> DiscoFeatures(ModuleRegistry registry) =>
        [.. registry.Answer(Get(Namespaces.DiscoInfo + "query")).Element.Descendants(Namespaces.DiscoInfo + "feature").Select(f => (string)f.Attribute("var")!)];

    [Fact]
    public void EveryModuleOfTheComponentAdvertisesItsFeatureInDiscoInfo()
    {
        var component = new Presence.Xmpp.Component.XmppComponent(new XmppOptions { Secret = "s" }, new PresenceTracker(TimeProvider.System), new InMemorySubscriberStore());

        Assert.Equal(["http://jabber.org/protocol/disco#info", "urn:xmpp:ping", "urn:xmpp:psa"], DiscoFeatures(component.Registry));
        Assert.Contains(component.Registry.Modules, m => m is Presence.Xmpp.Ping.PingModule);
        Assert.Contains(component.Registry.Modules, m => m is Presence.Xmpp.Privilege.PrivilegeModule);
        Assert.Contains(component.Registry.Modules, m => m is Presence.Xmpp.Roster.SubscriptionModule);
        Assert.Contains(component.Registry.Modules, m => m is Presence.Xmpp.AdHoc.AdHocModule);
    }

    [Fact]
    public async Task RemovingAModuleRemovesItsHandlersFeaturesAndHooks()
    {
        var registry = new ModuleRegistry();
        registry.Add(new DiscoModule("test"));
        var module = new ExampleModule();
        registry.Add(module);
        Assert.Contains(Example.NamespaceName, DiscoFeatures(registry));
        Assert.Equal(IqType.Result, registry.Answer(Get(Example + "query")).Type);

        registry.Remove(module);

        Assert.DoesNotContain(Example.NamespaceName, DiscoFeatures(registry));
        var answer = registry.Answer(Get(Example + "query"));
        Assert.Equal(("service-unavailable", IqType.Error), (answer.Error?.Condition, answer.Type));
        registry.DispatchPresence(new PresenceStanza(new XElement(Namespaces.Component + "presence", new XAttribute("from", "bob@localhost/r"))), new FakeRequesterLink());
        await Task.WhenAll(registry.StartSession(new FakeRequesterLink(), CancellationToken.None));
        registry.EndSession();
        Assert.Equal((0, 0, 0), (module.Presences, module.Connects, module.Disconnects));
        Assert.DoesNotContain(module, registry.Modules);
    }

    [Fact]
    public async Task AnAddedModulesHandlersAndHooksAreCalled()
    {
        var registry = new ModuleRegistry();
        var module = new ExampleModule();
        registry.Add(module);

        registry.DispatchPresence(new PresenceStanza(new XElement(Namespaces.Component + "presence", new XAttribute("from", "bob@localhost/r"))), new FakeRequesterLink());
        await Task.WhenAll(registry.StartSession(new FakeRequesterLink(), CancellationToken.None));
        registry.EndSession();

        Assert.Equal((1, 1, 1), (module.Presences, module.Connects, module.Disconnects));
    }

    /// <summary>A link that sends nowhere (the hooks under test do not use it).</summary>
    private sealed class FakeRequesterLink : IComponentLink
    {
        private readonly FakeRequester _requester = new();

        public long StanzasReceived => 0;

        public void Send(XElement stanza) { }

        public Task<IqStanza> RequestAsync(IqType type, string to, XElement payload, TimeSpan timeout) => _requester.RequestAsync(type, to, payload, timeout);
    }
}
