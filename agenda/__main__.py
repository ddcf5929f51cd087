from agenda.cli import main

main(prog_name="agenda")
