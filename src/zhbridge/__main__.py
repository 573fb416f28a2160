from zhbridge.cli import main

main()
