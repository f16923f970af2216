using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Egov.Steering.Membership.Data.Migrations
{
    /// <inheritdoc />
    public partial class CommitteesByLevel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_committees_level",
                table: "committees",
                column: "level");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_committees_level",
                table: "committees");
        }
    }
}
