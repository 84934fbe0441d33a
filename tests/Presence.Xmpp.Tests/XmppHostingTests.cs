using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Presence.Xmpp.Component;
using Presence.Xmpp.Hosting;

namespace Presence.Xmpp.Tests;

public sealed class XmppHostingTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddXmppComponent(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void EnablingTheComponentWithoutASecretFailsNamingTheKey()
    {
        using var sp = Build(new() { ["Presence:Xmpp:Enabled"] = "true" });
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<XmppOptions>>().Value);
        Assert.Contains("Presence:Xmpp:Secret is required", ex.Message);
    }

    [Theory]
    [InlineData("Presence:Xmpp:PingTimeout", "00:00:00", "PingTimeout must be a positive duration")]
    [InlineData("Presence:Xmpp:PrivilegeWait", "-00:00:01", "Presence:Xmpp:PrivilegeWait must be a positive duration")]
    [InlineData("Presence:Xmpp:SessionAuditInterval", "00:00:00", "Presence:Xmpp:SessionAuditInterval must be a positive duration")]
    [InlineData("Presence:Xmpp:SessionAuditInterval", "00:05:00", "Presence:Xmpp:SessionAuditInterval must be at most 00:01:00")]
    [InlineData("Presence:Xmpp:NodeMaxItems", "lots", "NodeMaxItems must be a positive number or 'max'")]
    [InlineData("Presence:Xmpp:ComponentJid", "user@pubpresence.localhost", "ComponentJid must be a domain JID")]
    [InlineData("Presence:Xmpp:Port", "70000", "Port")]
    [InlineData("Presence:Xmpp:Domain", "bad domain", "Presence:Xmpp:Domain must be a domain name such as example.com (RFC 7622 §3.2); 'bad domain' is not: it contains a space")]
    [InlineData("Presence:Xmpp:Domain", "exa_mple.com", "Presence:Xmpp:Domain must be a domain name")]
    [InlineData("Presence:Xmpp:Domain", "example..com", "Presence:Xmpp:Domain must be a domain name")]
    [InlineData("Presence:Xmpp:PubSubService", "pub sub.example.com", "Presence:Xmpp:PubSubService must be a domain JID")]
    [InlineData("Presence:Xmpp:ComponentJid", "pubpresence.example.com/laptop", "Presence:Xmpp:ComponentJid must be a domain JID")]
    public void InvalidValuesAreRefusedWithAMessageNamingTheKey(string key, string value, string expected)
    {
        using var sp = Build(new() { ["Presence:Xmpp:Secret"] = "s", [key] = value });
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<XmppOptions>>().Value);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void ABadDomainIsOneFailureNotThreeWhenTheJidsAreDerivedFromIt()
    {
        using var sp = Build(new() { ["Presence:Xmpp:Domain"] = "bad domain" });
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<XmppOptions>>().Value);
        Assert.Contains("Presence:Xmpp:Domain", Assert.Single(ex.Failures));
    }

    [Fact]
    public void ABadDomainWithAnExplicitBadComponentJidNamesBoth()
    {
        using var sp = Build(new() { ["Presence:Xmpp:Domain"] = "bad domain", ["Presence:Xmpp:ComponentJid"] = "pubpresence.bad domain" });
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<XmppOptions>>().Value);
        Assert.Equal(2, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.StartsWith("Presence:Xmpp:ComponentJid", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("example.com.")]
    [InlineData("xn--bcher-kva.example")]
    [InlineData("bücher.example")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public void ValidDomainsAreAccepted(string domain)
    {
        Assert.True(DomainName.IsValid(domain, out var why), why);
    }

    [Fact]
    public async Task WhenDisabledTheServiceDoesNothingAndTheLinkStaysDisconnected()
    {
        // no tracker and no subscriber store registered: a disabled component must not need them
        using var sp = Build(new() { ["Presence:Xmpp:Enabled"] = "false" });
        var service = sp.GetServices<IHostedService>().OfType<XmppComponentService>().Single();
        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(service.ExecuteTask.IsCompletedSuccessfully);
        Assert.Equal(XmppLinkState.Disconnected, sp.GetRequiredService<IXmppLinkStatus>().Current.State);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void TheDefaultsDeriveTheJidsFromTheDomain()
    {
        using var sp = Build(new() { ["Presence:Xmpp:Domain"] = "example.com" });
        var o = sp.GetRequiredService<IOptions<XmppOptions>>().Value;
        Assert.Equal("pubpresence.example.com", o.EffectiveComponentJid);
        Assert.Equal("pubsub.example.com", o.EffectivePubSubService);
        Assert.False(o.Enabled);
    }
}
