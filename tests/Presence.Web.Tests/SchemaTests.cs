using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Presence.Web.Data;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests;

public sealed class SchemaTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task TheMigrationsCreateEveryTableAndColumnOfTheModel()
    {
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<PresenceDbContext>>().CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            if (entity.IsMappedToJson()) continue; // stored inside a JSON column of its owner
            var table = entity.GetTableName()!;
            var columns = new HashSet<string>();
            await using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
            }
            Assert.True(columns.Count > 0, $"table {table} is missing");
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName();
                Assert.True(columns.Contains(column), $"column {table}.{column} is missing");
            }
        }
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public void TheGeneratedMigrationsOfBothProvidersMatchTheModel()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(sqlite.Database.HasPendingModelChanges(), "the SQLite model differs from its migrations' snapshot: run dotnet ef migrations add");
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(postgres.Database.HasPendingModelChanges(), "the PostgreSQL model differs from its migrations' snapshot: run dotnet ef migrations add");
    }

    [Theory]
    [InlineData("SqlitePresenceDbContext")]
    [InlineData("PostgresPresenceDbContext")]
    public void TheDotnetEfLocalToolFindsNoModelChangesWithoutAMigration(string context)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Presence.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("no Presence.sln above the tests");
        Assert.Equal(0, Dotnet(root, "tool", "restore").ExitCode);
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug"; // as the tests were built
        var (exit, output) = Dotnet(root, "ef", "migrations", "has-pending-model-changes", "--project", "src/Presence.Web", "--no-build",
            "--configuration", configuration, "--context", context);
        Assert.True(exit == 0, output);
        Assert.Contains("No changes have been made to the model since the last migration", output);
    }

    private static (int ExitCode, string Output) Dotnet(string directory, params string[] args)
    {
        var (code, output, error) = ProcessRunner.Run("dotnet", args, directory, TimeSpan.FromMinutes(10));
        return (code, output + error);
    }

    [Fact]
    public async Task SqliteRunsInWalMode()
    {
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<PresenceDbContext>>().CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync());
    }
}
