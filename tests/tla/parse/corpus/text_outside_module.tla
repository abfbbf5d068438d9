This text before the module is ignored, as TLC ignores it.
---------------------------- MODULE text_outside_module ----------------------------
CONSTANT N
A == N
=============================================================================
And so is this text after it: Init == oops
