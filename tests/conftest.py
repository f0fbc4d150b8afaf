import os

# jsii warns on every start when Node.js is older than it supports; the Makefile
# provides Node.js 22, but a developer may run pytest with the machine's Node.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "1")
