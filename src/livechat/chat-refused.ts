/** A visitor's request the chat refuses, with the reason shown in the widget. */
export class ChatRefused extends Error {}
