using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Presence.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PreferredPresence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LastSeen",
                table: "Users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "OverallSince",
                table: "Users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "Until",
                table: "ProtocolStatuses",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastSeen",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "OverallSince",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "Until",
                table: "ProtocolStatuses");
        }
    }
}
