using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Presence.Web.Configuration;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests;

/// <summary>Where the service listens follows ASP.NET Core's conventions (issue 8 §1, issue 9 §1).</summary>
public sealed class ListenAddressTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StartingWithAspNetCoreUrlsListensThere()
    {
        var port = ServiceProcess.FreePort();
        await using var service = ServiceProcess.Start(new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        var answer = await service.WaitForAnswerAsync($"http://127.0.0.1:{port}/healthz", StartTimeout);
        Assert.Equal(200, (int)answer.StatusCode);
    }

    [Fact]
    public async Task StartingWithAspNetCoreHttpPortsListensOnThatPort()
    {
        var port = ServiceProcess.FreePort();
        await using var service = ServiceProcess.Start(new Dictionary<string, string?> { ["ASPNETCORE_HTTP_PORTS"] = port.ToString() });
        var answer = await service.WaitForAnswerAsync($"http://127.0.0.1:{port}/healthz", StartTimeout);
        Assert.Equal(200, (int)answer.StatusCode);
    }

    [Fact]
    public async Task StartingWithTheUrlsArgumentListensThere()
    {
        var port = ServiceProcess.FreePort();
        await using var service = ServiceProcess.Start(new Dictionary<string, string?>(), "--urls", $"http://127.0.0.1:{port}");
        var answer = await service.WaitForAnswerAsync($"http://127.0.0.1:{port}/healthz", StartTimeout);
        Assert.Equal(200, (int)answer.StatusCode);
    }

    [Fact]
    public async Task ABusyPortStopsTheServiceWithOneLineBeforeTheDatabaseIsCreated()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        await using var service = ServiceProcess.Start(new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        Assert.Equal(StartupValidation.InvalidConfigurationExitCode, await service.ExitCodeAsync(StartTimeout));
        var line = Assert.Single(service.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"Cannot start: port {port} on 127.0.0.1 is already in use by another process; stop it, or listen elsewhere", line);
        Assert.DoesNotContain("   at ", service.Error + service.Output);
        Assert.DoesNotContain("Exception", service.Error + service.Output);
        Assert.Empty(Directory.GetFiles(service.Directory, "presence.db*"));
    }

    [Fact]
    public void TheProbeNamesEveryBusyAddressAndNothingElse()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var busy = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        var free = ServiceProcess.FreePort();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = $"http://127.0.0.1:{free};http://localhost:{busy};http://127.0.0.1:0" })
            .Build();
        var problem = Assert.Single(ListenAddressProbe.Problems(configuration));
        Assert.Contains($"port {busy} on 127.0.0.1 is already in use", problem);
    }

    [Fact]
    public void WithoutAnyAddressTheServiceListensOnLoopbackPort5080()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration["urls"] = null;
        builder.Configuration["http_ports"] = null;
        builder.Configuration["https_ports"] = null;
        ListenAddressOptions.UseDefaultListenAddress(builder);
        Assert.Equal("http://127.0.0.1:5080", builder.WebHost.GetSetting("urls"));
    }

    [Fact]
    public void AGivenAddressIsNotReplacedByTheDefault()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:6123"] });
        ListenAddressOptions.UseDefaultListenAddress(builder);
        Assert.Equal("http://127.0.0.1:6123", builder.WebHost.GetSetting("urls"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:notaport")]
    [InlineData("http://127.0.0.1:80:80")]
    [InlineData("ftp://127.0.0.1:5080")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("http://127.0.0.1:99999")]
    public async Task AUrlThatDoesNotParseStopsTheServiceInsteadOfBindingAnotherAddress(string url)
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string?> { ["Urls"] = url });
        Assert.Equal(StartupValidation.InvalidConfigurationExitCode, await service.ExitCodeAsync(StartTimeout));
        var line = Assert.Single(service.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"urls: '{url}' is not a valid listen address", line);
        Assert.DoesNotContain("Now listening", service.Output);
    }

    [Theory]
    [InlineData("http://*:5080")]
    [InlineData("http://+:5080")]
    [InlineData("http://localhost:5080;https://[::1]:5081")]
    [InlineData("http://presence.example.com:80")]
    public void KestrelAddressFormsAreAccepted(string urls)
    {
        var result = new ListenAddressOptionsValidator().Validate(null, new ListenAddressOptions { Urls = urls });
        Assert.True(result.Succeeded, result.FailureMessage);
    }
}
