/* Placeholder: the real-glibc replayer is written by the malloc-model issue. */
#include <unistd.h>
int main(void) { return 0; }
